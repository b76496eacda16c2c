"""The grader end to end on a small crafted submission: one correct exercise, one broken, one missing."""

from __future__ import annotations

import json
import os
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


def test_a_batch_writes_its_json_and_a_gradebook_with_each_students_time(submission, tmp_path):
    root = tmp_path / "class"
    for student in ("alice", "bob"):
        shutil.copytree(submission, root / student)
    out, gradebook = tmp_path / "batch.json", tmp_path / "grades.csv"
    done = subprocess.run(
        [sys.executable, str(PACK_ROOT / "grader.py"), "grade", str(root), "--batch", "--exercise", CORRECT,
         "--format", "csv", "--output", str(gradebook), "--json", str(out)], capture_output=True, text=True,
        timeout=300)
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text())
    assert [entry["student"] for entry in data] == ["alice", "bob"]
    assert all(0 < entry["execution_time"] < 60 for entry in data), [entry["execution_time"] for entry in data]
    assert gradebook.read_text().splitlines()[0].startswith("student,score,max_score,percent,")


def test_the_runner_survives_a_child_that_kills_the_warm_process(tmp_path):
    """Unisolated (as `check` runs trusted code), a child can kill its parent: the grader starts a new one, and a
    job that ran beside the killer loses nothing (what it had not finished runs again)."""
    from grading.runner import Job

    (tmp_path / "04_training").mkdir()
    (tmp_path / f"{CORRECT}.py").write_text(
        "import os, signal\ndef evaluate(model, loader):\n    os.kill(os.getppid(), signal.SIGKILL)\n")
    exercise = Manifest.load().get(CORRECT)
    with Runner(concurrency=2) as runner:
        collect = Job("collect", tmp_path, exercise.test_files(), collect_only=True)
        runner.run([collect])
        job = Job("killer", tmp_path, exercise.test_files(), select=list(collect.collected))
        neighbour = Job("neighbour", PACK_ROOT / "solutions", exercise.test_files(), select=list(collect.collected))
        runner.run([job, neighbour])
    assert set(job.results) == set(collect.collected) == set(neighbour.results), "every expected test has a result"
    assert any("grading process was killed" in result.message for result in job.results.values())
    assert all(result.status != "passed" for result in job.results.values())
    assert all(result.status == "passed" for result in neighbour.results.values()), neighbour.results


def _wire(record) -> dict:
    return {"job": 1, "event": "child", "record": record} if isinstance(record, dict) else \
        {"job": 1, "event": "garbled", "line": record}


@pytest.mark.parametrize("lie", [
    {"event": "forked", "pid": 0},
    {"event": "exited", "status": 0, "signal": None},
    {"event": "start"},
    {"event": "start", "nodeid": "t.py::a1", "timeout": 1e9},
    {"event": "start", "nodeid": "t.py::unselected", "timeout": None},
    {"event": "report", "nodeid": "t.py::a0", "when": "teardown", "outcome": "passed", "message": "",
     "longrepr": "", "output": "", "duration": 0.0, "extra": 1},
    {"event": "report", "nodeid": "t.py::a0", "when": "call", "outcome": "passed"},
    {"event": "tamper", "nodeid": None, "what": "not a list"},
    "14 passed in 0.1s",
])
def test_a_lying_child_flags_its_exercise_and_never_crashes_the_grader(lie):
    """Lines go through grading.channel: a lie breaks the channel of that attempt only, no KeyError, no kill of
    anything but that child; the liar's exercise is flagged and failed, the other exercise runs again."""
    from grading.channel import Sequence
    from grading.runner import Job, _Attempt

    collected = {f"t.py::{name}": {"nodeid": f"t.py::{name}", "exercise": name[0], "timeout": 5.0}
                 for name in ("a0", "a1", "b0")}
    job = Job("liar", PACK_ROOT, [], select=list(collected), collected=dict(collected), isolated=True)
    with Runner(concurrency=1, test_timeout=2) as runner:
        attempt = _Attempt(job, job.select, sequence=Sequence(job.select))
        for record in [{"event": "start", "nodeid": "t.py::a0", "timeout": 1e9}, lie]:
            assert runner._handle(attempt, _wire(record)) is False
        assert runner._handle(attempt, {"job": 1, "event": "exited", "status": 0, "signal": None}) is True
    assert attempt.current_timeout == 5.0, "the limit is the collection's timeout marker, not the child's"
    assert attempt.broken and "results channel broken" in attempt.killed_for
    assert list(job.tampered) == ["t.py::a0"] and job.tampered["t.py::a0"][0].startswith("results channel: ")
    assert job.results["t.py::a1"].message == "not run: results channel broken"
    assert "t.py::b0" not in job.results, "the other exercise's tests run again in a fresh child"


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


@pytest.mark.parametrize("finished", [True, False])
def test_a_pass_right_before_an_exit_without_finishing_is_not_kept(finished):
    """An honest child ends with `finished` or dies inside a test; one that exits between tests, right after a
    pass, may have written that pass itself."""
    from grading.channel import Sequence
    from grading.runner import Job, _Attempt

    collected = {f"t.py::{name}": {"nodeid": f"t.py::{name}", "exercise": "a"} for name in ("a0", "a1")}
    job = Job("quitter", PACK_ROOT, [], select=list(collected), collected=dict(collected), isolated=True)
    passed = {"outcome": "passed", "message": "", "longrepr": "", "output": "", "duration": 0.0}
    lines = [{"event": "start", "nodeid": "t.py::a0"}] + [
        {"event": "report", "nodeid": "t.py::a0", "when": when, **passed} for when in ("setup", "call", "teardown")]
    lines += [{"event": "finished", "exitstatus": 0}] if finished else []
    with Runner(concurrency=1) as runner:
        attempt = _Attempt(job, job.select, sequence=Sequence(job.select))
        for record in lines:
            runner._handle(attempt, _wire(record))
        runner._handle(attempt, {"job": 1, "event": "exited", "status": 0, "signal": None})
        attempt.blame_current()
    assert job.results["t.py::a0"].status == ("passed" if finished else "error")
    assert finished or "not trusted" in job.results["t.py::a0"].message


def test_the_collect_pass_records_each_tests_timeout_marker():
    """Per-test limits come from the grader's own collection (max(run limit, marker)), never from a child's line."""
    from grading.runner import Job

    exercise = Manifest.load().get("11_distributed/all_reduce_mean")
    with Runner(concurrency=1) as runner:
        collect = Job("collect", PACK_ROOT / "exercises", exercise.test_files(), collect_only=True, isolated=True)
        runner.run([collect])
    assert collect.collected and {record["timeout"] for record in collect.collected.values()} == {150.0}


def test_an_infinite_loop_costs_two_timeouts_not_one_per_test(tmp_path):
    """pytest-timeout's own timeouts count toward giving an exercise up, like the grader's kills: two hangs, then
    the rest of that exercise is failed unrun, and the other exercise's tests still run and pass."""
    from grading.runner import Job

    (tmp_path / "04_training").mkdir()
    (tmp_path / f"{CORRECT}.py").write_text("def evaluate(model, loader):\n    while True:\n        pass\n")
    shutil.copy(PACK_ROOT / "solutions" / f"{BROKEN}.py", tmp_path / f"{BROKEN}.py")
    manifest = Manifest.load()
    files = manifest.get(CORRECT).test_files(hidden=False) + manifest.get(BROKEN).test_files(hidden=False)
    with Runner(concurrency=1, test_timeout=1.0) as runner:
        collect = Job("collect", tmp_path, files, collect_only=True)
        runner.run([collect])
        job = Job("loops", tmp_path, files, select=list(collect.collected))
        job.collected = collect.collected
        runner.run([job])
    mine = {nodeid: result for nodeid, result in job.results.items() if "eval_mode_bug" in nodeid}
    timed_out = [result for result in mine.values() if "Timeout (>" in result.message]
    assert len(mine) > 3 and len(timed_out) == 2, [result.message for result in mine.values()]
    assert all("kept failing hard (timed out)" in result.message for result in mine.values() if result not in timed_out)
    others = [result for nodeid, result in job.results.items() if "grad_clipping" in nodeid]
    assert any(result.status == "passed" for result in others), others
    assert all(result.status in ("passed", "skipped") for result in others), others


def test_syntax_errors_and_ignored_stray_files_are_flagged(report):
    from grading import formats

    found = formats.flags(report)
    assert f"syntax error {BROKEN}" in found, found
    ignored = [flag for flag in found if flag.startswith("ignored: ")]
    assert ignored and all(name in ignored[0] for name in ("conftest.py", "pytest.ini", "torch.py")), found


def test_the_learners_lazy_warm_process_gives_the_batchs_verdicts():
    """`watch` forks its first child before torch's lazy modules are in (the first answer comes sooner) and
    imports them while idle: a child forked early, one forked after the idle imports and a batch's eagerly
    warmed child all agree, test by test."""
    import time

    from grading.runner import Job

    manifest = Manifest.load()
    # einsum's tests load torch._dynamo on their first dispatch mode, train_loop's optimizer too
    files = [path for exercise_id in ("01_tensors/einsum", "04_training/train_loop")
             for path in manifest.get(exercise_id).test_files(hidden=True)]

    def verdicts(runner: Runner) -> dict[str, str]:
        job = Job("learner", PACK_ROOT / "solutions", files)
        runner.run([job])
        return {nodeid: result.status for nodeid, result in job.results.items()}

    def threads(runner: Runner) -> int:  # forking a process with other threads may deadlock the child
        return len(os.listdir(f"/proc/{runner.client.process.pid}/task"))

    with Runner(concurrency=1, lazy_imports=True) as runner:
        early = verdicts(runner)
        time.sleep(8)  # the warm process is idle: it imports the rest
        late = verdicts(runner)
        lazy_threads = threads(runner)
    with Runner(concurrency=1) as runner:
        eager = verdicts(runner)
        eager_threads = threads(runner)
    assert early and set(early.values()) == {"passed"}, early
    assert early == late == eager
    assert lazy_threads == eager_threads == 1, "the warm process forks with other threads running"
