"""The pack's self-check: the same runner, five ways.

1. every test passes on solutions/;
2. every test fails on exercises/ (no free points);
3. every test fails on a do-nothing implementation of the stub (no points for nothing: see null_stubs.py);
4. every known-wrong variant (tests/variants/CH/name/wrong_*.py) fails at least one test of its exercise;
5. every known-correct alternative (tests/variants/CH/name/alt_*.py) passes every test of its exercise, so the
   tests judge behaviour, not the reference's internals;
plus the structure: manifest and files agree, and the pack's own tests (tests/pack) pass.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from grading.grade import files_of, shard, test_files
from grading.manifest import PACK_ROOT, Exercise, Manifest
from grading.null_stubs import write_do_nothing_stubs
from grading.runner import Job, Runner

MIN_VARIANTS = 3  # a blind review writes at least three realistic wrong implementations per exercise
MIN_ALTERNATIVES = 1  # and one correct-but-different one, so the tests are seen to judge behaviour


@dataclass
class CheckOutcome:
    problems: list[str]
    held: int  # expectations that held: a solution test passed, a stub test failed, a variant was caught
    skipped: int


def structure_problems(manifest: Manifest, root: Path = PACK_ROOT) -> list[str]:
    problems = []
    ids = [exercise.id for exercise in manifest]
    problems += [f"manifest: {id_} is listed twice" for id_ in sorted({i for i in ids if ids.count(i) > 1})]
    for exercise in manifest:
        needed = {
            "stub": root / "exercises" / exercise.relpath,
            "solution": root / "solutions" / exercise.relpath,
            "visible tests": root / "tests" / exercise.chapter / f"test_{exercise.name}.py",
            "hidden tests": root / "tests" / "hidden" / exercise.chapter / f"test_{exercise.name}.py",
        }
        problems += [f"{exercise.id}: no {what} ({path.relative_to(root)})"
                     for what, path in needed.items() if not path.is_file()]
        if len(exercise.variants(root)) < MIN_VARIANTS:
            problems.append(f"{exercise.id}: {len(exercise.variants(root))} known-wrong variant(s) in "
                            f"tests/variants/{exercise.id}/, at least {MIN_VARIANTS} required")
        if len(exercise.alternatives(root)) < MIN_ALTERNATIVES:
            problems.append(f"{exercise.id}: no known-correct alternative (tests/variants/{exercise.id}/alt_*.py); "
                            f"at least {MIN_ALTERNATIVES} required")
        if not 2 <= len(exercise.hints) <= 3 or any(not hint.strip() or hint == "TODO" for hint in exercise.hints):
            problems.append(f"{exercise.id}: needs two or three written hints in the manifest")
    for chapter in manifest.chapters():
        if not (root / "exercises" / chapter / "README.md").is_file():
            problems.append(f"{chapter}: no exercises/{chapter}/README.md")

    listed = set(ids)
    for folder in ("exercises", "solutions"):
        for path in sorted((root / folder).rglob("*.py")):
            relative = path.relative_to(root / folder).with_suffix("").as_posix()
            if "__pycache__" not in path.parts and relative not in listed:
                problems.append(f"{folder}/{relative}.py has no manifest entry")
    for tests in (root / "tests", root / "tests" / "hidden"):
        for path in sorted(tests.glob("[0-9][0-9]_*/test_*.py")):
            exercise_id = f"{path.parent.name}/{path.stem.removeprefix('test_')}"
            if exercise_id not in listed:
                problems.append(f"{path.relative_to(root)} tests {exercise_id}, which has no manifest entry")
    for folder in sorted((root / "tests" / "variants").glob("*/*")):
        if folder.is_dir() and f"{folder.parent.name}/{folder.name}" not in listed:
            problems.append(f"{folder.relative_to(root)} holds variants of an exercise with no manifest entry")
    return problems


def _nodeids_by_exercise(collected: dict[str, dict]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for record in collected.values():
        grouped.setdefault(record.get("exercise") or "", []).append(record["nodeid"])
    return grouped


def run_check(manifest: Manifest, runner: Runner, only: list[Exercise] | None = None,
              echo=print) -> CheckOutcome:
    started = time.monotonic()
    exercises = only or list(manifest)
    problems = structure_problems(manifest) if only is None else []
    files = test_files(exercises, hidden=True)
    solutions, stubs = PACK_ROOT / "solutions", PACK_ROOT / "exercises"

    collect = Job("collect", solutions, files, collect_only=True)
    runner.run([collect])
    problems += collect.problems
    grouped = _nodeids_by_exercise(collect.collected)
    for exercise in exercises:
        records = [collect.collected[n] for n in grouped.get(exercise.id, [])]
        if not any(not r["hidden"] for r in records) or not any(r["hidden"] for r in records):
            problems.append(f"{exercise.id}: needs both visible and hidden tests (collected {len(records)})")
    echo(f"collected {len(collect.collected)} tests of {len(exercises)} exercises "
         f"in {time.monotonic() - started:.1f} s")

    shards = shard(collect.collected, runner.concurrency)

    def described(nodeids: list[str]) -> dict[str, dict]:  # the collection a job is held to: ours, not its child's
        return {nodeid: collect.collected[nodeid] for nodeid in nodeids}

    variant_jobs = [
        Job(f"variant {variant.relative_to(PACK_ROOT)}", solutions, exercise.test_files(), variant=variant,
            select=grouped.get(exercise.id, []), stop_at_first_failure=True,
            collected=described(grouped.get(exercise.id, [])))
        for exercise in exercises for variant in exercise.variants()
    ]
    alternative_jobs = [
        Job(f"alternative {alternative.relative_to(PACK_ROOT)}", solutions, exercise.test_files(),
            variant=alternative, select=grouped.get(exercise.id, []), collected=described(grouped.get(exercise.id, [])))
        for exercise in exercises for alternative in exercise.alternatives()
    ]
    pack_tests = PACK_ROOT / "tests" / "pack"
    # one job per file, so the pack's slow end-to-end tests spread over both processes
    pack_job = [Job(f"pack {path.name}", stubs, [path]) for path in sorted(pack_tests.glob("test_*.py"))
                ] if only is None else []
    with tempfile.TemporaryDirectory(prefix="torch-kata-do-nothing-") as folder:
        do_nothing = Path(folder)
        nulled = {exercise.id for exercise in write_do_nothing_stubs(exercises, stubs, do_nothing)}
        jobs = []
        for i, ids in enumerate(shards):
            nulled_ids = [nodeid for nodeid in ids if collect.collected[nodeid].get("exercise") in nulled]
            jobs += [Job(f"solutions {i}", solutions, files_of(ids), select=ids, collected=described(ids)),
                     Job(f"exercises {i}", stubs, files_of(ids), select=ids, collected=described(ids))]
            if nulled_ids:
                jobs.append(Job(f"do-nothing {i}", do_nothing, files_of(nulled_ids), select=nulled_ids,
                                collected=described(nulled_ids)))
        # the longest first, so they overlap with everything else
        runner.run(pack_job + jobs + alternative_jobs + variant_jobs)

    held = 0
    for job in jobs + pack_job + alternative_jobs:
        problems += [f"{job.label}: {problem}" for problem in job.problems]
    free_points = {"exercises": "passes on the untouched stub (free points)",
                   "do-nothing": "passes on a do-nothing implementation (points for nothing)"}
    for job in jobs + pack_job + alternative_jobs:
        kind = job.label.split()[0]
        for result in job.results.values():
            if result.status == "skipped":
                continue
            if kind not in free_points and result.status != "passed":
                where = {"pack": "pack test fails", "alternative": f"fails on {job.label}"}.get(
                    kind, "fails on solutions")
                problems.append(f"{where}: {result.nodeid}: {result.message}")
            elif kind in free_points and result.status == "passed":
                problems.append(f"{free_points[kind]}: {result.nodeid}")
            else:
                held += 1
    for job in variant_jobs:
        if any(result.status in ("failed", "error") for result in job.results.values()):
            held += 1
        else:
            problems.append(f"{job.label.removeprefix('variant ')}: no test catches this known-wrong variant")

    runs = len(jobs) + len(variant_jobs) + len(alternative_jobs) + len(pack_job)
    echo(f"{runs} runs ({len(variant_jobs)} known-wrong variants, {len(alternative_jobs)} known-correct "
         f"alternatives) in {time.monotonic() - started:.1f} s")
    skipped = sum(r.status == "skipped" for job in jobs + pack_job + alternative_jobs for r in job.results.values())
    return CheckOutcome(problems, held, skipped)
