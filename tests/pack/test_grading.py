"""The grader end to end on a small crafted submission: one correct exercise, one broken, one missing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grading.grade import grade
from grading.manifest import PACK_ROOT, Manifest
from grading.runner import Runner

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

CORRECT, BROKEN, MISSING = "04_training/eval_mode_bug", "04_training/grad_clipping", "03_modules/residual_block"


@pytest.fixture(scope="module")
def submission(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("alice")
    (root / "04_training").mkdir()
    shutil.copy(PACK_ROOT / "solutions" / f"{CORRECT}.py", root / f"{CORRECT}.py")
    broken = (PACK_ROOT / "solutions" / f"{BROKEN}.py").read_text().splitlines()
    broken.insert(len(broken) // 2, "def oops(:")
    (root / f"{BROKEN}.py").write_text("\n".join(broken) + "\n")
    # what a submission must never be able to do: change the configuration, the fixtures or torch itself
    (root / "conftest.py").write_text("import pytest\n@pytest.fixture\ndef ex():\n    return None\n")
    (root / "pytest.ini").write_text("[pytest]\naddopts = -p no:python\n")
    (root / "torch.py").write_text("raise SystemExit('shadowed torch')\n")
    return root


@pytest.fixture(scope="module")
def report(submission):
    manifest = Manifest.load()
    only = [manifest.get(CORRECT), manifest.get(BROKEN), manifest.get(MISSING)]
    with Runner(concurrency=2) as runner:
        return grade(submission, manifest, runner, only=only)


def by_id(report, exercise_id):
    return next(exercise for exercise in report.exercises if exercise.id == exercise_id)


def test_a_correct_exercise_gets_full_points(report):
    correct = by_id(report, CORRECT)
    assert correct.score == correct.max_score == 20, [(t.name, t.status, t.message) for t in correct.tests]
    assert any(test.hidden for test in correct.tests) and any(not test.hidden for test in correct.tests)


def test_a_file_that_does_not_parse_fails_only_its_own_tests_and_names_the_line(report):
    broken = by_id(report, BROKEN)
    counted = [test for test in broken.tests if test.status != "skipped"]
    assert counted and all(test.status in ("failed", "error") for test in counted)
    assert f"{BROKEN}.py does not parse: line" in counted[0].message
    assert broken.score == 0


def test_a_missing_file_scores_zero_and_says_missing(report):
    missing = by_id(report, MISSING)
    assert missing.missing and missing.score == 0 and missing.max_score > 0
    assert all("missing" in test.message for test in missing.tests if test.status != "skipped")


def test_skipped_cuda_tests_are_not_counted_and_the_report_says_so(report):
    skipped = [test for exercise in report.exercises for test in exercise.tests if test.status == "skipped"]
    assert skipped, "grad_clipping and residual_block have cuda tests; here they must be skipped"
    assert all(test.max_score == 0 for test in skipped)
    assert any("CUDA not available" in note for note in report.notes)


def test_the_cli_writes_the_documented_json(submission, tmp_path):
    out = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, str(PACK_ROOT / "grader.py"), "grade", str(submission), "--exercise", CORRECT,
         "--json", str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert CORRECT in done.stdout and "total" in done.stdout
    data = json.loads(out.read_text())
    assert set(data) >= {"score", "max_score", "exercises"}
    exercise = data["exercises"][0]
    assert exercise["id"] == CORRECT and set(exercise) >= {"id", "score", "max_score", "tests"}
    assert {test["status"] for test in exercise["tests"]} == {"passed"}
    assert all(set(test) >= {"name", "status", "message"} for test in exercise["tests"])


def test_the_runner_survives_a_child_that_kills_the_warm_process(tmp_path):
    """Unisolated (as `check` runs trusted code), a child can kill its parent: the grader starts a new one."""
    from grading.runner import Job

    (tmp_path / "04_training").mkdir()
    (tmp_path / f"{CORRECT}.py").write_text(
        "import os, signal\ndef evaluate(model, loader):\n    os.kill(os.getppid(), signal.SIGKILL)\n")
    exercise = Manifest.load().get(CORRECT)
    with Runner(concurrency=1) as runner:
        collect = Job("collect", tmp_path, exercise.test_files(), collect_only=True)
        runner.run([collect])
        job = Job("killer", tmp_path, exercise.test_files(), select=list(collect.collected))
        runner.run([job])
    assert set(job.results) == set(collect.collected), "every expected test has a result"
    assert any("grading process was killed" in result.message for result in job.results.values())
    assert all(result.status != "passed" for result in job.results.values())


def test_shards_keep_an_exercise_together_and_skipped_tests_cost_nothing():
    from grading.grade import shard

    def tests(exercise: str, count: int, **record) -> dict[str, dict]:
        return {f"{exercise}::t{i}": {"nodeid": f"{exercise}::t{i}", "exercise": exercise, "slow": False, **record}
                for i in range(count)}

    collected = {**tests("a", 10), **tests("b", 9), **tests("c", 10, cuda=True, skip="CUDA not available")}
    shards = shard(collected, 2)
    exercises = [{record.split("::")[0] for record in nodeids} for nodeids in shards]
    assert exercises == [{"a"}, {"b", "c"}], "10 tests vs 9 + 10 skipped ones is the balanced split"


def test_the_runner_removes_its_temporary_folders(tmp_path, monkeypatch):
    import tempfile

    from grading.runner import Job

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    exercise = Manifest.load().get(CORRECT)
    with Runner(concurrency=1) as runner:
        runner.run([Job("collect", PACK_ROOT / "solutions", exercise.test_files(), collect_only=True, isolated=True)])
    assert not list(tmp_path.iterdir()), "logs and home folders are left behind"
