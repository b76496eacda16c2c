"""Grade one submission folder: collect, run isolated, score. Formats are applied by the caller."""

from __future__ import annotations

import functools
import os
import shutil
import time
from pathlib import Path

from grading import scan, scoring
from grading.manifest import PACK_ROOT, Exercise, Manifest
from grading.runner import Job, Runner

# a slow test (forks processes, exports a model) weighs this many ordinary ones; measured 2026-11-22 on the
# solutions: 29 slow tests took 3.9 s in all, the 927 others 3.5 ms each
SLOW_TEST_COST = 25


def cost(record: dict) -> int:
    """A collected test's expected run time, in ordinary tests; one skipped at collection (cuda without a GPU)
    costs nothing."""
    if record.get("skip") is not None:
        return 0
    return SLOW_TEST_COST if record.get("slow") else 1


def _submitted(submission: Path, exercise: Exercise) -> Path | None:
    source = submission / exercise.relpath
    return source if source.is_file() and not source.is_symlink() else None


def missing_files(manifest: Manifest, submission: Path) -> set[str]:
    return {exercise.id for exercise in manifest if _submitted(submission, exercise) is None}


def copy_expected_files(manifest: Manifest, submission: Path, target: Path) -> set[str]:
    """Copy only `<chapter>/<name>.py` files the manifest expects; return the ids of the missing ones.

    Nothing else a submission holds (a conftest.py, a pytest.ini, a torch.py, __pycache__) reaches the run.
    """
    for exercise in manifest:
        source = _submitted(submission, exercise)
        if source is not None:
            destination = target / exercise.relpath
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
    return missing_files(manifest, submission)


STRAY_SUFFIXES = (".py", ".pyc", ".pth", ".ini", ".cfg", ".toml")  # what could change a run, were it ever loaded
STRAY_SHOWN = 8


def stray_files(manifest: Manifest, submission: Path) -> list[str]:
    """Files in the submission that look like code or configuration but are not exercise files: never run."""
    expected = {exercise.relpath for exercise in manifest}
    found = []
    for folder, _, names in os.walk(submission):  # never follows a symlinked folder out of the submission
        for name in names:
            relative = (Path(folder) / name).relative_to(submission).as_posix()
            if name.endswith(STRAY_SUFFIXES) and relative not in expected:
                found.append(relative)
    return sorted(found)


def shard(collected: dict[str, dict], count: int) -> list[list[str]]:
    """Split node ids into `count` shards of similar cost, keeping each exercise's tests together.

    Every cuda test goes to one shard, so on a one-GPU box two processes never run GPU tests at once.
    """
    by_exercise: dict[str, list[dict]] = {}
    for record in collected.values():
        group = "cuda" if record.get("cuda") else record.get("exercise") or ""
        by_exercise.setdefault(group, []).append(record)
    shards: list[list[str]] = [[] for _ in range(count)]
    costs = [0] * count
    for records in sorted(by_exercise.values(), key=lambda records: -sum(map(cost, records))):
        lightest = costs.index(min(costs))
        shards[lightest].extend(record["nodeid"] for record in records)
        costs[lightest] += sum(map(cost, records))
    return [nodeids for nodeids in shards if nodeids]


def tampering(jobs: list[Job], collected: dict[str, dict]) -> dict[str, str]:
    """exercise id (or "*" for the whole submission) -> what was tampered with."""
    found: dict[str, list[str]] = {}
    for job in jobs:
        for nodeid, what in job.tampered.items():
            exercise = collected.get(nodeid, {}).get("exercise") or "*"
            found.setdefault(exercise, []).extend(what)
    return {exercise: ", ".join(dict.fromkeys(what)) for exercise, what in found.items()}


def test_files(exercises: list[Exercise], hidden: bool) -> list[Path]:
    return [path for exercise in exercises for path in exercise.test_files(hidden=hidden)]


def files_of(nodeids: list[str]) -> list[Path]:
    """The test files holding these node ids: a shard collects only its own files, not the whole pack."""
    return [PACK_ROOT / relative for relative in dict.fromkeys(nodeid.split("::")[0] for nodeid in nodeids)]


def grade(
    submission: Path,
    manifest: Manifest,
    runner: Runner,
    *,
    hidden: bool = True,
    limits: dict | None = None,
    only: list[Exercise] | None = None,
) -> scoring.Report:
    """Grade one submission, its tests sharded over the runner's processes."""
    return grade_many([submission], manifest, runner, hidden=hidden, limits=limits, only=only, shards=True)[0]


def grade_many(
    submissions: list[Path],
    manifest: Manifest,
    runner: Runner,
    *,
    hidden: bool = True,
    limits: dict | None = None,
    only: list[Exercise] | None = None,
    shards: bool = False,
    progress=None,
    neighbours: list[Path] = (),
) -> list[scoring.Report]:
    """Grade several submissions: one collection (tests do not depend on the target), then one job each.

    With `shards`, each submission's tests are split over the runner's processes instead (the fastest way
    to grade a single submission). `progress(done, total)` is called as each submission finishes. `neighbours`:
    other students' folders (the rest of a split class), hidden from every child like the batch's own.
    """
    if only:
        manifest = Manifest([e for e in manifest if e in only], manifest.root)
    files = test_files(list(manifest), hidden)
    limits = limits or {}
    started = time.monotonic()
    missing = [missing_files(manifest, submission) for submission in submissions]
    # Collection never imports a submission; the pack's own stubs stand in, so no submission's code can shape
    # the collection (its timeouts, its node ids) that every job is then held to.
    collect = Job("collect", PACK_ROOT / "exercises", files, collect_only=True, limits=limits, isolated=True)
    runner.run([collect])
    groups = shard(collect.collected, runner.concurrency) if shards else [list(collect.collected)]
    # Each job copies its submission into its own attempt's home just before it runs (a folder only that
    # attempt's user may enter, removed after it), and the originals are hidden from every child whatever their
    # permissions (not the pack's own folders: `grade exercises` still needs exercises/manifest.toml): no student
    # can read another's files.
    originals = [str(path) for path in map(Path.resolve, [*submissions, *neighbours])
                 if not path.is_relative_to(PACK_ROOT)]
    jobs_of = [[Job(f"{submission} {index}", submission, files_of(nodeids), select=nodeids, limits=limits,
                    isolated=True, stage=functools.partial(copy_expected_files, manifest, submission),
                    collected={nodeid: collect.collected[nodeid] for nodeid in nodeids}, hide=originals)
                for index, nodeids in enumerate(groups)]
               for submission in submissions]
    done_jobs: set[int] = set()

    def job_finished(job: Job) -> None:
        done_jobs.add(id(job))
        if progress:
            progress(sum(all(id(j) in done_jobs for j in jobs) for jobs in jobs_of), len(submissions))

    runner.run([job for jobs in jobs_of for job in jobs], on_finished=job_finished)
    reports = []
    for submission, jobs, absent in zip(submissions, jobs_of, missing):
        results = {nodeid: result for job in jobs for nodeid, result in job.results.items()}
        tampered = tampering(jobs, collect.collected)
        report = scoring.score(manifest, collect.collected, results, absent, submission=str(submission),
                               tampered=tampered, held=scan.held(manifest, submission))
        report.flags += collect.problems + [problem for job in jobs for problem in job.problems]
        if files and not collect.collected:  # the grader's own collection failed: a 0 here grades nothing
            report.flags.append("grading failed: no test was collected from the pack "
                                f"({collect.results and next(iter(collect.results.values())).message or 'see the log'})")
        stray = stray_files(manifest, submission)
        if stray:
            shown = ", ".join(stray[:STRAY_SHOWN])
            shown += f" and {len(stray) - STRAY_SHOWN} more" if len(stray) > STRAY_SHOWN else ""
            report.flags.append(f"ignored: {shown} (not exercise files: never copied, never run)")
        report.notes += sorted({note for job in [collect, *jobs] for note in job.notes})
        # this submission's own tests, not the whole batch's wall time (the batch runs them side by side)
        report.execution_time = time.monotonic() - started if len(submissions) == 1 else \
            sum(result.duration for result in results.values())
        report.finished_at = time.time()
        reports.append(report)
    return reports
