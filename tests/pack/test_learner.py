"""The learner's loop, driven as a learner would: in a fresh student release, from the command line."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grading.manifest import PACK_ROOT
from grading.release import release
from pack.watching import watch_fail_save_pass_and_move_on

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

EXERCISE = "04_training/eval_mode_bug"
PYTEST_HABITS = [
    ["tests/04_training/test_eval_mode_bug.py"],
    ["tests/04_training", "-k", "eval_mode"],
    ["tests/04_training/test_eval_mode_bug.py", "-x"],
    ["tests/04_training/test_eval_mode_bug.py", "--lf"],
    ["tests/04_training/test_eval_mode_bug.py", "-n", "2"],
    ["tests/04_training", "-m", "cuda"],
    ["tests/04_training/test_eval_mode_bug.py", "-m", "not slow"],
]


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("learner") / "pack"
    release(out)
    return out


def learner_env(**extra: str) -> dict[str, str]:
    """A learner's shell: none of the grading child's settings (plugin autoload off, NO_COLOR) leak in."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "NO_COLOR", "PYTHONDONTWRITEBYTECODE")}
    return {**env, **extra}


def grader(pack: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = learner_env(PYTHONPATH=str(pack))
    return subprocess.run([sys.executable, "grader.py", *args], cwd=pack, input=stdin, capture_output=True,
                          text=True, timeout=600, env=env)


def test_every_subcommand_has_help_with_an_example(pack):
    for command in ("list", "next", "hint", "watch", "reset", "solution", "show", "grade", "check", "release",
                    "bundle", "exercism", "merge"):
        done = grader(pack, command, "--help")
        assert done.returncode == 0 and "example" in done.stdout, command
        assert max(map(len, done.stdout.splitlines())) <= 80, f"{command} --help is wider than 80 columns"


def test_unknown_ids_get_did_you_mean(pack):
    done = grader(pack, "hint", "eval_mode_bgu")
    assert done.returncode != 0 and "did you mean" in done.stderr and "eval_mode_bug" in done.stderr
    assert done.stderr.count("eval_mode_bug") == 1, f"one exercise offered twice: {done.stderr}"


def test_hint_without_an_id_is_for_the_first_unfinished_exercise(pack):
    done = grader(pack, "hint")
    assert done.returncode == 0 and done.stdout.startswith("01_tensors/creation_dtypes:\nhint 1/"), done.stdout


def test_list_into_a_closed_pipe_ends_quietly(pack):
    done = subprocess.run(f"{sys.executable} grader.py list | head -1", shell=True, cwd=pack, capture_output=True,
                          text=True, timeout=120, env=learner_env(PYTHONPATH=str(pack)))
    assert done.stdout.count("\n") == 1 and "Error" not in done.stderr, done.stderr


def test_hints_come_one_more_each_time_and_are_remembered(pack):
    first, second = grader(pack, "hint", EXERCISE), grader(pack, "hint", EXERCISE)
    assert first.stdout.count("hint ") == 1 and second.stdout.count("hint ") == 2
    assert grader(pack, "hint", EXERCISE, "--all").stdout.count("hint ") >= 2
    assert (pack / ".torch-kata" / "state.json").is_file()


def test_list_and_next_on_a_fresh_pack_run_nothing_and_fit_80_columns(pack):
    started = time.monotonic()
    listing = grader(pack, "list")
    assert listing.returncode == 0 and time.monotonic() - started < 10, "a pristine pack needs no test run"
    assert "not started" in listing.stdout and "overall" in listing.stdout
    assert "\033[" not in listing.stdout, "colour written to a pipe"
    assert max(map(len, listing.stdout.splitlines())) <= 80
    upcoming = grader(pack, "next")
    assert "exercises/01_tensors/" in upcoming.stdout and "pytest tests/01_tensors/" in upcoming.stdout


def test_a_solved_exercise_is_done_and_the_second_list_is_cached(pack):
    shutil.copy(PACK_ROOT / "solutions" / f"{EXERCISE}.py", pack / "exercises" / f"{EXERCISE}.py")
    first = grader(pack, "list")
    assert re.search(r"eval_mode_bug .* done", first.stdout), first.stdout
    started = time.monotonic()
    second = grader(pack, "list")
    assert second.stdout == first.stdout and time.monotonic() - started < 10


def test_reset_asks_first_and_restores_the_stub(pack):
    path = pack / "exercises" / f"{EXERCISE}.py"
    path.write_text("# my attempt\n")
    refused = grader(pack, "reset", EXERCISE, stdin="n\n")
    assert refused.returncode != 0 and path.read_text() == "# my attempt\n"
    assert grader(pack, "reset", EXERCISE, "--yes").returncode == 0
    assert path.read_text() == (PACK_ROOT / "exercises" / f"{EXERCISE}.py").read_text()
    assert grader(pack, "reset", "not/an_exercise", "--yes").returncode != 0


def test_solution_is_not_in_a_student_release(pack):
    done = grader(pack, "solution", EXERCISE)
    assert done.returncode != 0 and "solutions/" in done.stderr


def test_watch_rechecks_on_save_and_moves_on(pack):
    watch_fail_save_pass_and_move_on(pack, EXERCISE, learner_env(PYTHONPATH=str(pack)), seconds=300)


@pytest.mark.parametrize("habit", PYTEST_HABITS, ids=" ".join)
@pytest.mark.parametrize("where", ["repo", "release"])
def test_pytest_habits_keep_working(pack, where, habit, tmp_path):
    root = PACK_ROOT if where == "repo" else pack
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-o", f"cache_dir={tmp_path}", *habit], cwd=root,
                          capture_output=True, text=True, timeout=600, env=learner_env())
    assert done.returncode in (0, 1), done.stdout[-2000:] + done.stderr[-2000:]  # tests ran (stubs fail): no usage error
    assert re.search(r"\d+ (passed|failed|skipped)", done.stdout), done.stdout[-2000:]


def test_the_readme_lists_the_pytest_habits():
    readme = (PACK_ROOT / "README.md").read_text()
    for flag in ("pytest tests/", "-k", "-x", "--lf", "-n auto", "-m cuda", '-m "not slow"'):
        assert flag in readme, flag


def learner_pytest(where: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=where,
                          capture_output=True, text=True, timeout=300, env=learner_env())


def test_the_packs_options_work_however_pytest_is_started(pack):
    for args in (["--target", "solutions", "--collect-only", "-q"], ["-m", "cuda", "--target", "exercises", "-q"]):
        done = learner_pytest(pack, *args)
        assert "unrecognized arguments" not in done.stderr and done.returncode in (0, 5), (args, done.stderr[-500:])
        assert done.returncode == 0, (args, done.stdout[-500:])


def test_pytest_in_the_exercises_folder_says_where_the_tests_are(pack):
    done = learner_pytest(pack / "exercises")
    assert done.returncode == 5 and "the tests live in tests/" in done.stdout, done.stdout[-500:]


def test_a_chapter_runs_in_teaching_order(pack):
    done = learner_pytest(pack, "tests/01_tensors", "--collect-only", "-q")
    files = list(dict.fromkeys(line.split("::")[0] for line in done.stdout.splitlines() if "::" in line))
    assert files[:2] == ["tests/01_tensors/test_creation_dtypes.py", "tests/01_tensors/test_reshape_views.py"], files


def test_bare_pytest_leaves_the_graders_own_tests_out():
    done = learner_pytest(PACK_ROOT, "--collect-only", "-q")
    assert done.returncode == 0 and "tests/pack/" not in done.stdout, done.stdout[-500:]
    by_path = learner_pytest(PACK_ROOT, "tests/pack/test_null_stubs.py", "--collect-only", "-q")
    assert "tests/pack/test_null_stubs.py::" in by_path.stdout, by_path.stdout[-500:]


def test_show_says_an_unfinished_exercise_is_not_done_and_a_finished_one_once(pack, tmp_path):
    done = grader(pack, "show", "06_vision/feature_maps", str(tmp_path / "maps.png"))
    assert done.returncode != 0 and "not done yet" in done.stderr and "Traceback" not in done.stderr, done.stderr
    done = grader(PACK_ROOT, "show", "06_vision/feature_maps", str(tmp_path / "maps.png"), "--reference")
    assert done.returncode == 0 and done.stdout.count("wrote") == 1 and (tmp_path / "maps.png").is_file(), done.stdout


def test_the_learners_verdict_includes_the_hidden_tests_grade_runs():
    """`watch`, `list` and `next` run what `grade` runs, so "done" is never said where grade takes points; a
    hidden case is named by the kind of case it covers, never by its message."""
    from grading import learner
    from grading.manifest import Manifest
    from grading.runner import TestResult

    class FakeRunner:
        concurrency = 1

        def run(self, jobs):
            self.files = [path for job in jobs for path in job.files]
            for job in jobs:
                for nodeid in ("tests/04_training/test_eval_mode_bug.py::test_a",
                               "tests/hidden/04_training/test_eval_mode_bug.py::test_odd_batch_sizes[7]"):
                    job.collected[nodeid] = {"exercise": EXERCISE}
                    job.results[nodeid] = TestResult(nodeid, "passed" if "hidden" not in nodeid else "failed",
                                                     "" if "hidden" not in nodeid else "SECRET expected value")

    runner, exercise = FakeRunner(), Manifest.load().get(EXERCISE)
    results = learner.run_tests(runner, [exercise])[EXERCISE]
    assert any("tests/hidden/" in str(path) for path in runner.files), runner.files
    assert learner.verdict(results) != learner.DONE
    assert learner.first_failure(results) == "a hidden case fails: odd batch sizes (7)"


def test_ctrl_c_during_grade_stops_at_once_and_leaves_nothing_running(pack):
    grading = subprocess.Popen([sys.executable, "grader.py", "grade"], cwd=pack, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=learner_env(PYTHONPATH=str(pack)))
    time.sleep(8)  # the warm process is up and its children are running tests
    def children(pid) -> list[str]:
        return subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()

    ours = children(grading.pid)
    ours += [child for pid in ours for child in children(pid)]  # the warm process and the test processes it forked
    assert ours, "grade started no process"
    started = time.monotonic()
    grading.send_signal(signal.SIGINT)
    _, err = grading.communicate(timeout=30)
    assert time.monotonic() - started < 3 and grading.returncode == 130, err
    assert err.strip() == "grader: stopped", err
    time.sleep(0.5)
    for pid in ours:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text(), pid
