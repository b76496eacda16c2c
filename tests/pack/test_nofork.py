"""The no-fork path (Windows, macOS), forced here with TORCH_KATA_NO_FORK=1 and made honest by a shim.

The shim is a sitecustomize.py put first on PYTHONPATH. In the grader's own process (grader.py, or this test's
driver script) it takes away what Windows lacks: `os.fork`, `os.forkpty`, `os.killpg`, `os.setsid`,
`os.getpgrp`, `os.geteuid`, the modules `resource`, `fcntl`, `pwd`, `grp` and `termios`, and a selector that can
wait on a pipe (`selectors.DefaultSelector().register` of one raises). In every process the grader starts (the
test processes, which inherit PYTHONPATH), `resource` and `os.setsid` are gone too, so no sandbox can be entered;
`os.fork` stays there, because DataLoader workers and CPU distributed ranks fork by Linux's own default (on
Windows and macOS the libraries spawn them themselves), which is the library's business, not the grader's. Each
shimmed process writes its role and pid to a log, so the tests see that the shim really ran where they claim.

Every job on this path pays the torch import (2-4 s here), so the tests share a few grades.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grading import formats
from grading.grade import grade
from grading.manifest import PACK_ROOT, Manifest
from grading.release import release
from grading.runner import Runner, WarmClient, default_transport
from grading.spawn import NO_FORK_ENV, SpawnClient, no_fork_reason
from pack.watching import watch_fail_save_pass_and_move_on

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

PLAIN, SLOW, STUB = "01_tensors/creation_dtypes", "05_data/worker_seeding", "01_tensors/reshape_views"
HANG, CRASH = "04_training/eval_mode_bug", "01_tensors/broadcasting"
LEARNER = "04_training/eval_mode_bug"
TEST_TIMEOUT, GRACE = 4.0, 2.0

SHIM = '''
"""Make this Linux process look like Windows to the grading code (see tests/pack/test_nofork.py)."""
import os
import selectors
import stat
import sys

GRADER = os.path.basename(sys.argv[0]) in ("grader.py", "nofork_driver.py", "nofork_imports.py")
BLOCKED = {"resource", "fcntl", "pwd", "grp", "termios"} if GRADER else {"resource"}
GONE = ("fork", "forkpty", "killpg", "setsid", "getpgrp", "geteuid") if GRADER else ("setsid",)


class _Refuse:
    """A meta path finder that makes the blocked modules unimportable, as they are on Windows."""

    def find_spec(self, name, path=None, target=None):
        if name in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (the no-fork test shim)", name=name)
        return None


for _name in BLOCKED:
    sys.modules.pop(_name, None)
sys.meta_path.insert(0, _Refuse())
for _name in GONE:
    if hasattr(os, _name):
        delattr(os, _name)

if GRADER:
    class _NoPipes(selectors.DefaultSelector):
        """Windows' select() waits on sockets only."""

        def register(self, fileobj, events, data=None):
            fd = fileobj if isinstance(fileobj, int) else fileobj.fileno()
            if stat.S_ISFIFO(os.fstat(fd).st_mode):
                raise OSError("the no-fork test shim: no selector waits on a pipe on Windows")
            return super().register(fileobj, events, data)

    selectors.DefaultSelector = _NoPipes

if os.environ.get("KATA_SHIM_LOG"):
    with open(os.environ["KATA_SHIM_LOG"], "a") as _log:
        _log.write(f"{'grader' if GRADER else 'child'} {os.getpid()} {' '.join(sys.argv[:2])}\\n")
'''

DRIVER = f'''
"""Grade one folder with small time limits, as `grader.py grade` would, and print the JSON report."""
import sys
from pathlib import Path

from grading import formats
from grading.grade import grade
from grading.manifest import Manifest
from grading.runner import Runner

manifest = Manifest.load()
only = [manifest.get(exercise) for exercise in sys.argv[2].split(",")]
with Runner(concurrency=2, test_timeout={TEST_TIMEOUT}, grace={GRACE}) as runner:
    print(formats.json_format(grade(Path(sys.argv[1]), manifest, runner, only=only)))
'''

IMPORTS = '''
"""Every module a learner's command imports, grader and test process side: all must import on Windows."""
import os

try:
    import resource  # noqa: F401
except ImportError:
    pass
else:
    raise SystemExit("the shim is not active")
assert not hasattr(os, "fork")

import grader
import grading.channel, grading.formats, grading.grade, grading.learner, grading.manifest, grading.runner
import grading.sandbox, grading.scan, grading.scoring, grading.spawn, grading.warm
import grading.integrity, grading.plugin
print("imported")
'''


@pytest.fixture(scope="module")
def shim(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("shim")
    (folder / "sitecustomize.py").write_text(SHIM)
    (folder / "nofork_driver.py").write_text(DRIVER)
    (folder / "nofork_imports.py").write_text(IMPORTS)
    return folder


def shimmed_env(shim: Path, pythonpath: Path = PACK_ROOT, forced: bool = True, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "NO_COLOR", "PYTHONDONTWRITEBYTECODE", NO_FORK_ENV)}
    env.update({"PYTHONPATH": f"{shim}{os.pathsep}{pythonpath}", "KATA_SHIM_LOG": str(shim / "roles.log"), **extra})
    return {**env, NO_FORK_ENV: "1"} if forced else env


def roles(shim: Path) -> list[str]:
    log = shim / "roles.log"
    return [line.split()[0] for line in log.read_text().splitlines()] if log.exists() else []


@pytest.fixture(scope="module")
def submission(tmp_path_factory) -> Path:
    """Two solutions (a plain exercise, a slow one that starts DataLoader workers; both with hidden tests), a
    stub as shipped, a hang no signal can interrupt (only the grader's kill ends it) and a crash (os._exit)."""
    root = tmp_path_factory.mktemp("nofork-submission")
    for exercise in (PLAIN, SLOW, STUB, HANG, CRASH):
        (root / exercise).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(PACK_ROOT / "solutions" / f"{PLAIN}.py", root / f"{PLAIN}.py")
    shutil.copy(PACK_ROOT / "solutions" / f"{SLOW}.py", root / f"{SLOW}.py")
    shutil.copy(PACK_ROOT / "exercises" / f"{STUB}.py", root / f"{STUB}.py")
    (root / f"{HANG}.py").write_text("import itertools\n\ndef evaluate(model, loader):\n"
                                     "    return sum(itertools.repeat(1))  # a C loop: SIGALRM never gets in\n")
    crash = (PACK_ROOT / "solutions" / f"{CRASH}.py").read_text()
    (root / f"{CRASH}.py").write_text(crash + "\n\nimport os\n\ndef pairwise_sq_distances(a, b):\n    os._exit(3)\n")
    return root


@pytest.fixture(scope="module")
def both_paths(submission, shim) -> dict:
    """The same submission graded on the fork path (here) and on the no-fork path (the driver, shimmed)."""
    manifest = Manifest.load()
    only = [manifest.get(exercise) for exercise in (PLAIN, SLOW, STUB, HANG, CRASH)]
    started = time.monotonic()
    with Runner(concurrency=2, test_timeout=TEST_TIMEOUT, grace=GRACE, transport=WarmClient) as runner:
        forked = formats.as_dict(grade(submission, manifest, runner, only=only))
    fork_seconds = time.monotonic() - started
    started = time.monotonic()
    done = subprocess.run([sys.executable, str(shim / "nofork_driver.py"), str(submission),
                           ",".join(exercise.id for exercise in only)], cwd=PACK_ROOT, env=shimmed_env(shim),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return {"fork": forked, "spawn": json.loads(done.stdout), "fork_seconds": fork_seconds,
            "spawn_seconds": time.monotonic() - started, "roles": roles(shim)}


def by_id(report: dict) -> dict[str, dict]:
    return {exercise["id"]: exercise for exercise in report["exercises"]}


def test_the_shim_ran_in_the_grader_and_in_every_test_process(both_paths):
    assert both_paths["roles"].count("grader") == 1, both_paths["roles"]
    # the collection and two shards at least, then a fresh process after a kill or crash left tests to run
    assert both_paths["roles"].count("child") >= 4, both_paths["roles"]


def test_both_paths_give_the_same_scores_tests_and_messages(both_paths):
    forked, spawned = by_id(both_paths["fork"]), by_id(both_paths["spawn"])
    assert list(forked) == list(spawned)
    for exercise_id, exercise in forked.items():
        assert spawned[exercise_id] == exercise, exercise_id
    assert both_paths["spawn"]["score"] == both_paths["fork"]["score"]
    assert both_paths["spawn"]["flags"] == both_paths["fork"]["flags"]


def test_the_solutions_get_full_marks_hidden_tests_included(both_paths):
    for exercise_id in (PLAIN, SLOW):
        exercise = by_id(both_paths["spawn"])[exercise_id]
        assert exercise["score"] == exercise["max_score"] > 0, exercise_id
        assert any(test["hidden"] for test in exercise["tests"]), exercise_id


def test_a_stub_gets_nothing_and_says_why(both_paths):
    stub = by_id(both_paths["spawn"])[STUB]
    assert stub["score"] == 0 and stub["max_score"] > 0
    assert all("NotImplementedError" in test["message"] for test in stub["tests"] if test["status"] != "skipped")


def test_a_hang_is_killed_by_the_grader_and_the_run_goes_on(both_paths):
    hang = by_id(both_paths["spawn"])[HANG]
    messages = [test["message"] for test in hang["tests"]]
    killed = f"timed out after {TEST_TIMEOUT + GRACE:.0f} s (killed by the grader)"
    assert hang["score"] == 0 and messages[:2] == [killed, killed], messages
    assert all("not run: this exercise's tests kept failing hard" in message for message in messages[2:]), messages


def test_a_crash_fails_only_its_own_tests(both_paths):
    crash = by_id(both_paths["spawn"])[CRASH]
    messages = [test["message"] for test in crash["tests"]]
    assert crash["score"] < crash["max_score"]
    assert any("exited early with status 3" in message for message in messages), messages


def test_the_report_says_it_was_graded_without_the_sandbox(both_paths):
    notes = " ".join(both_paths["spawn"]["notes"])
    assert f"no sandbox: graded without fork ({NO_FORK_ENV}=1)" in notes, notes
    assert "no resource limits, no isolation" in notes
    assert "no sandbox" not in " ".join(both_paths["fork"]["notes"])


def test_the_learners_commands_work_without_fork(shim, tmp_path):
    """list, next, hint, watch and grade in a student release, from the command line, shimmed."""
    pack = tmp_path / "pack"
    release(pack)
    env = shimmed_env(shim, pythonpath=pack)

    def grader(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "grader.py", *args], cwd=pack, capture_output=True, text=True,
                              timeout=300, env=env)

    shutil.copy(PACK_ROOT / "solutions" / f"{PLAIN}.py", pack / "exercises" / f"{PLAIN}.py")
    listing = grader("list")
    assert listing.returncode == 0 and re.search(r"creation_dtypes .* done", listing.stdout), listing.stderr
    assert "grading without fork" in listing.stderr and "without the sandbox" in listing.stderr
    upcoming = grader("next")
    assert upcoming.returncode == 0 and "01_tensors/reshape_views" in upcoming.stdout, upcoming.stderr
    assert grader("hint", LEARNER).stdout.startswith("hint 1/")
    graded = grader("grade", "--exercise", PLAIN, "--format", "json")
    report = json.loads(graded.stdout)
    assert graded.returncode == 0 and report["score"] == report["max_score"] == 10, graded.stderr
    assert any(note.startswith("no sandbox") for note in report["notes"])
    watch_fail_save_pass_and_move_on(pack, LEARNER, env, seconds=120)


@pytest.mark.parametrize("command", [["check", "01_tensors/einsum"], ["grade", "solutions", "--batch"],
                                     ["grade", "solutions", "--batch", "--shard", "1/2"]])
def test_check_and_batch_refuse_without_fork_and_say_why(shim, command):
    """Chosen automatically: no TORCH_KATA_NO_FORK here, only the shim's missing os.fork."""
    done = subprocess.run([sys.executable, "grader.py", *command], cwd=PACK_ROOT, capture_output=True, text=True,
                          timeout=120, env=shimmed_env(shim, forced=False))
    assert done.returncode == 2 and not done.stdout, done.stdout
    assert f"refuses to run without fork ({sys.platform} has no os.fork)" in done.stderr, done.stderr
    assert "Run it on Linux" in done.stderr


def test_every_module_on_the_learners_path_imports_without_posix_modules(shim):
    done = subprocess.run([sys.executable, str(shim / "nofork_imports.py")], cwd=PACK_ROOT, capture_output=True,
                          text=True, timeout=120, env=shimmed_env(shim))
    assert done.returncode == 0 and done.stdout.strip() == "imported", done.stderr[-2000:]


def test_the_path_is_chosen_by_platform_or_forced(monkeypatch):
    monkeypatch.delenv(NO_FORK_ENV, raising=False)
    assert no_fork_reason() is None and default_transport() is WarmClient, "Linux forks"
    for value, forced in (("1", True), ("yes", True), ("0", False), ("", False)):
        monkeypatch.setenv(NO_FORK_ENV, value)
        assert (no_fork_reason() == f"{NO_FORK_ENV}={value}") is forced, value
    monkeypatch.delenv(NO_FORK_ENV)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert no_fork_reason() == "macOS: forking after importing torch is unsafe" and default_transport() is SpawnClient
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delattr(os, "fork")
    assert no_fork_reason() == "win32 has no os.fork"


def test_an_endless_line_is_reported_once_and_not_buffered():
    """The reader thread's line limit: what the warm process does with an overlong line, without selectors."""
    import io
    import queue

    from grading.spawn import _read_lines
    from grading.warm import LINE_LIMIT, wrap

    good = json.dumps({"event": "finished", "exitstatus": 0}).encode()
    stream = io.BytesIO(b"x" * (3 * LINE_LIMIT) + b"\n" + good + b"\r\n" + b"a partial last line")
    events: queue.Queue = queue.Queue()
    _read_lines(7, stream, events)
    items = [events.get_nowait() for _ in range(events.qsize())]
    assert [kind for kind, _, _ in items] == ["line", "line", "eof"]
    assert wrap(7, items[0][2])["event"] == "garbled" and len(items[0][2]) == LINE_LIMIT + 1
    assert wrap(7, items[1][2]) == {"job": 7, "event": "child", "record": {"event": "finished", "exitstatus": 0}}


def test_no_module_on_the_learners_path_imports_a_posix_only_module_at_top_level():
    """A static look as well: the shim proves it for this interpreter, this for every line of grading/."""
    posix_only = re.compile(r"^(import|from) (resource|fcntl|pwd|grp|termios|pty|tty)\b", re.MULTILINE)
    found = [path.name for path in sorted((PACK_ROOT / "grading").glob("*.py")) + [PACK_ROOT / "grader.py"]
             if posix_only.search(path.read_text())]
    assert not found, found


def test_ctrl_c_stops_every_spawned_child_at_once(shim):
    grading = subprocess.Popen([sys.executable, "grader.py", "grade"], cwd=PACK_ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=shimmed_env(shim))
    deadline, ours = time.monotonic() + 60, []
    while len(ours) < 2 and time.monotonic() < deadline:  # the collection, then the two shards
        time.sleep(0.5)
        ours = subprocess.run(["pgrep", "-P", str(grading.pid)], capture_output=True, text=True).stdout.split()
    assert ours, "grade started no process"
    started = time.monotonic()
    grading.send_signal(signal.SIGINT)
    _, err = grading.communicate(timeout=30)
    assert time.monotonic() - started < 3 and grading.returncode == 130, err
    assert err.strip().endswith("grader: stopped"), err
    time.sleep(0.5)
    for pid in ours:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text(), pid


def test_the_audit_hooks_trusted_folders_use_the_platforms_separator():
    """Code objects name their files with `\\` on Windows: a prefix ending in a hard-coded "/" would make every
    library and the pack's own code look like submission code there. Built here with Windows' join."""
    code = ("import ntpath, os, pytest, grading.integrity, grading.manifest\n"
            "os.path.join = ntpath.join\n"
            "from grading import plugin\n"
            "prefixes = [p for p in plugin._TRUSTED_FILES + plugin._PROXY_FILES if not p.startswith('<')]\n"
            "folders = [p for p in prefixes if not p.endswith('.py')]\n"
            "assert folders and all(p.endswith('\\\\') for p in folders), folders\n"
            "assert all('/ctypes' not in p and '/futures' not in p for p in prefixes), prefixes\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=PACK_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_a_kill_takes_the_childs_whole_process_group():
    """Where there are process groups (Linux, macOS), what a job started goes with it; Windows uses taskkill /T."""
    from grading.spawn import _new_process_group, kill_tree

    child = subprocess.Popen(["sh", "-c", "sleep 60 & echo $!; wait"], stdout=subprocess.PIPE, text=True,
                             **_new_process_group())
    grandchild = int(child.stdout.readline())
    kill_tree(child)
    assert child.wait(timeout=10) == -signal.SIGKILL
    deadline = time.monotonic() + 10
    while Path(f"/proc/{grandchild}").exists() and "zombie" not in Path(f"/proc/{grandchild}/status").read_text():
        assert time.monotonic() < deadline, "the grandchild outlived the kill"
        time.sleep(0.1)


def test_the_spawn_transport_leaves_no_temporary_folder(tmp_path, monkeypatch):
    import tempfile

    from grading.runner import Job

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    exercise = Manifest.load().get(PLAIN)
    with Runner(concurrency=1, transport=SpawnClient) as runner:
        collect = Job("collect", PACK_ROOT / "solutions", exercise.test_files(), collect_only=True, isolated=True)
        runner.run([collect])
    assert collect.collected and not list(tmp_path.iterdir()), "job files, logs or homes are left behind"
    assert any(note.startswith("no sandbox: graded without fork (the caller's choice)") for note in collect.notes)


def test_workers_and_ranks_spawned_as_on_windows_and_macos_run_the_code_under_test():
    """Where fork is not the default, DataLoader workers and CPU ranks are spawned and import the code under test
    by its private module name: a correct solution must still pass (the loader's module, a hidden test's
    visible module and a distributed exercise)."""
    tests = ["tests/hidden/05_data/test_worker_seeding.py::test_global_rng_is_left_alone_with_workers",
             "tests/05_data/test_iterable_sharding.py::test_two_workers_give_every_item_once",
             "tests/11_distributed/test_all_reduce_mean.py::test_every_rank_gets_the_mean_in_place"]
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_DISABLE_PLUGIN_AUTOLOAD"}  # a learner's
    env["PYTHONPATH"] = os.pathsep.join([str(PACK_ROOT / "tests" / "pack"), str(PACK_ROOT / "tests")])
    done = subprocess.run([sys.executable, "-m", "pytest", *tests, "--target", "solutions", "-q", "-p",
                           "no:cacheprovider", "-p", "spawn_everything"], cwd=PACK_ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and f"{len(tests)} passed" in done.stdout, done.stdout[-3000:] + done.stderr[-2000:]
