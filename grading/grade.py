"""Grade one submission folder: collect, run isolated, score. Formats are applied by the caller."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from grading import scoring
from grading.manifest import Exercise, Manifest
from grading.runner import Job, Runner

SLOW_TEST_COST = 10  # a slow test (spawns processes, exports a model) weighs this many ordinary ones


def copy_expected_files(manifest: Manifest, submission: Path, target: Path) -> set[str]:
    """Copy only `<chapter>/<name>.py` files the manifest expects; return the ids of the missing ones.

    Nothing else a submission holds (a conftest.py, a pytest.ini, a torch.py, __pycache__) reaches the run.
    """
    missing = set()
    for exercise in manifest:
        source = submission / exercise.relpath
        if source.is_file() and not source.is_symlink():
            destination = target / exercise.relpath
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
        else:
            missing.add(exercise.id)
    return missing


def shard(collected: dict[str, dict], count: int) -> list[list[str]]:
    """Split node ids into `count` shards of similar cost, keeping each exercise's tests together."""
    by_exercise: dict[str, list[dict]] = {}
    for record in collected.values():
        by_exercise.setdefault(record.get("exercise") or "", []).append(record)
    shards: list[list[str]] = [[] for _ in range(count)]
    costs = [0] * count
    groups = sorted(by_exercise.values(),
                    key=lambda records: -sum(SLOW_TEST_COST if r["slow"] else 1 for r in records))
    for records in groups:
        lightest = costs.index(min(costs))
        shards[lightest].extend(record["nodeid"] for record in records)
        costs[lightest] += sum(SLOW_TEST_COST if record["slow"] else 1 for record in records)
    return [nodeids for nodeids in shards if nodeids]


def test_files(exercises: list[Exercise], hidden: bool) -> list[Path]:
    return [path for exercise in exercises for path in exercise.test_files(hidden=hidden)]


def grade(
    submission: Path,
    manifest: Manifest,
    runner: Runner,
    *,
    hidden: bool = True,
    limits: dict | None = None,
    only: list[Exercise] | None = None,
) -> scoring.Report:
    """Grade `submission` on every exercise of the manifest, or only on `only`."""
    started = time.monotonic()
    if only:
        manifest = Manifest([e for e in manifest if e in only], manifest.root)
    exercises = list(manifest)
    files = test_files(exercises, hidden)
    with tempfile.TemporaryDirectory(prefix="torch-kata-grade-") as workdir:
        target = Path(workdir) / "submission"
        target.mkdir()
        missing = copy_expected_files(manifest, submission, target)
        collect = Job("collect", target, files, collect_only=True, limits=limits or {})
        runner.run([collect])
        jobs = [Job(f"shard {index}", target, files, select=nodeids, limits=limits or {})
                for index, nodeids in enumerate(shard(collect.collected, runner.concurrency))]
        runner.run(jobs)
    results = {nodeid: result for job in jobs for nodeid, result in job.results.items()}
    report = scoring.score(manifest, collect.collected, results, missing, submission=str(submission))
    report.flags += collect.problems + [problem for job in jobs for problem in job.problems]
    report.execution_time = time.monotonic() - started
    return report
