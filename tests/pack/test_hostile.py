"""The hostile-submission catalogue: each case is a submission whose exercises are correct except one hostile
file. Grading all of them must finish within its wall limit, give the hostile exercise 0 (or flag it), leave the
other exercise its full points, and say in the report what happened."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from grading import formats, scan
from grading.grade import grade_many
from grading.manifest import PACK_ROOT, Manifest
from grading.runner import Runner

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

HOSTILE, HEALTHY = "04_training/eval_mode_bug", "01_tensors/creation_dtypes"
WALL_LIMIT_SECONDS = 600
GARBAGE = "\ndef evaluate(model, loader):\n    return 0.0, None\n"


def hostile(code: str) -> str:
    return textwrap.dedent(code).lstrip()


# name -> (the hostile eval_mode_bug.py, extra files in the submission, what the report must say)
CASES: dict[str, tuple[str, dict[str, str], str]] = {
    "os_exit_mid_test": (hostile("""
        import os
        def evaluate(model, loader):
            os._exit(0)
        """), {}, "exited early"),
    "sys_exit_at_import": ("import sys\nsys.exit(0)\n" + GARBAGE, {}, "SystemExit"),
    "always_equal_objects": (hostile("""
        class AlwaysEqual:
            def __eq__(self, other):
                return True
            __hash__ = object.__hash__
        def evaluate(model, loader):
            return AlwaysEqual(), AlwaysEqual()
        """), {}, "expected a torch.Tensor"),
    "tensor_subclass_fakes_comparisons": (hostile("""
        import torch
        class Liar(torch.Tensor):
            @classmethod
            def __torch_function__(cls, func, types, args=(), kwargs=None):
                if getattr(func, "__name__", "") in ("equal", "allclose", "eq", "__eq__", "isclose"):
                    return True
                return super().__torch_function__(func, types, args, kwargs or {})
        def evaluate(model, loader):
            return 1.0, torch.zeros(24, 3).as_subclass(Liar)
        """), {}, "expected a torch.Tensor"),
    "patches_allclose_at_import": (hostile("""
        import torch, torch.testing
        torch.allclose = lambda *args, **kwargs: True
        torch.equal = lambda *args, **kwargs: True
        torch.testing.assert_close = lambda *args, **kwargs: None
        def evaluate(model, loader):
            return 1.0, torch.zeros(24, 3)
        """), {}, "tampered: 04_training/eval_mode_bug: torch.allclose"),
    "patches_pytest_testreport": (hostile("""
        import _pytest.reports
        original = _pytest.reports.TestReport.from_item_and_call.__func__
        def always_passed(cls, item, call):
            report = original(cls, item, call)
            report.outcome, report.longrepr = "passed", None
            return report
        _pytest.reports.TestReport.from_item_and_call = classmethod(always_passed)
        """) + GARBAGE, {}, "tampered"),
    "submitted_conftest_ini_pyproject": ((PACK_ROOT / "exercises" / f"{HOSTILE}.py").read_text(), {
        "conftest.py": "import pytest\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_makereport(item, call):\n"
                       "    outcome = yield\n    outcome.get_result().outcome = 'passed'\n",
        "04_training/conftest.py": "raise SystemExit('conftest ran')\n",
        "pytest.ini": "[pytest]\naddopts = -p no:python\n",
        "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '--co'\n",
    }, "Dropout is still active"),
    "shadows_torch_and_numpy": ((PACK_ROOT / "exercises" / f"{HOSTILE}.py").read_text(), {
        "torch.py": "raise SystemExit('fake torch')\n",
        "numpy.py": "raise SystemExit('fake numpy')\n",
        "04_training/torch.py": "raise SystemExit('fake torch')\n",
    }, "Dropout is still active"),
    "ignores_sigalrm_and_timeout": (hostile("""
        import signal, time
        import pytest_timeout
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        pytest_timeout.timeout_sigalrm = lambda *args, **kwargs: None
        def evaluate(model, loader):
            signal.signal(signal.SIGALRM, signal.SIG_IGN)
            time.sleep(10_000)
        """), {}, "timed out"),
    "gil_holding_c_loop": (hostile("""
        import itertools
        def evaluate(model, loader):
            return sum(itertools.repeat(1))
        """), {}, "timed out"),
    "allocates_a_terabyte": (hostile("""
        import torch
        def evaluate(model, loader):
            block = torch.empty(2**40, dtype=torch.uint8)
            block.fill_(1)
            return 1.0, block
        """), {}, "allocate"),
    "bounded_process_flood": (hostile("""
        import subprocess
        def evaluate(model, loader):
            sleepers = [subprocess.Popen(["sleep", "600"]) for _ in range(300)]
            return 0.0, None
        """), {}, "Resource temporarily unavailable"),
    "escapes_its_process_group": (hostile("""
        import subprocess
        def evaluate(model, loader):
            subprocess.Popen(["setsid", "sleep", "600"])
            return 0.0, None
        """), {}, "evaluate"),
    "segfault_via_ctypes": (hostile("""
        import ctypes
        def evaluate(model, loader):
            ctypes.string_at(0)
        """), {}, "refused: ctypes.string_at"),  # the audit hook refuses raw memory before it can crash
    "segfault_via_faulthandler": (hostile("""
        import faulthandler
        def evaluate(model, loader):
            faulthandler._sigsegv()
        """), {}, "SIGSEGV"),
    "kills_the_parent": (hostile("""
        import os, signal
        def evaluate(model, loader):
            os.kill(os.getppid(), signal.SIGKILL)
            return 0.0, None
        """), {}, "Operation not permitted"),
    "prints_100_mb": (hostile("""
        import sys
        def evaluate(model, loader):
            chunk = "x" * 1_000_000
            for _ in range(100):
                sys.stdout.write(chunk)
            return 0.0, None
        """), {}, "evaluate"),
    "reads_expected_values_via_inspect_stack": (hostile("""
        import inspect
        def evaluate(model, loader):
            for frame_info in inspect.stack():
                local = frame_info.frame.f_locals
                if "expected_logits" in local:
                    return local.get("expected_accuracy", 1.0), local["expected_logits"]
            return 0.0, None
        """), {}, "not allowed during grading"),
    "writes_a_fake_results_file": (hostile("""
        import json, os, tempfile
        fake = {"score": 100, "tests": [{"name": "all", "status": "passed"}]}
        for folder in (tempfile.gettempdir(), os.getcwd(), "/tmp", os.path.dirname(__file__)):
            try:
                with open(os.path.join(folder, "results.json"), "w") as out:
                    json.dump(fake, out)
            except OSError:
                pass
        print("14 passed in 0.1s")
        """) + GARBAGE, {}, "evaluate"),
    "poisons_pycache": ((PACK_ROOT / "exercises" / f"{HOSTILE}.py").read_text(), {
        "04_training/__pycache__/eval_mode_bug.cpython-311.pyc": "not really bytecode",
        "04_training/__pycache__/eval_mode_bug.cpython-312.pyc": "not really bytecode",
    }, "Dropout is still active"),
    "reseeds_the_rng_to_shift_inputs": (hostile("""
        import random, numpy, torch
        torch.manual_seed(1234)
        random.seed(1234)
        numpy.random.seed(1234)
        def evaluate(model, loader):
            torch.manual_seed(1234)
            return 1 / 3, torch.zeros(24, 3)
        """), {}, "values differ"),
    "returns_a_pickle_payload": (hostile("""
        import os
        class Payload:
            def __reduce__(self):
                return (os.system, ("touch /tmp/torch-kata-pwned",))
            def __repr__(self):
                raise RuntimeError("no repr for you")
        def evaluate(model, loader):
            return Payload(), Payload()
        """), {}, "expected a torch.Tensor"),
    "imports_the_reference_solution": (hostile(f"""
        import importlib.util
        spec = importlib.util.spec_from_file_location("ref", "{PACK_ROOT}/solutions/{HOSTILE}.py")
        reference = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(reference)
        evaluate = reference.evaluate
        """), {}, "No such file"),
    "subclasses_a_pack_class": (hostile(f"""
        import importlib.util
        spec = importlib.util.spec_from_file_location("helpers_copy", "{PACK_ROOT}/tests/helpers.py")
        borrowed = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(borrowed)
        evaluate = borrowed.count_aten_ops
        """), {}, "must define its own code"),
    "writes_into_the_pack": (hostile(f"""
        def evaluate(model, loader):
            with open("{PACK_ROOT}/tests/helpers.py", "a") as out:
                out.write("\\n# pwned\\n")
            return 0.0, None
        """), {}, "ermission denied"),
    "connects_to_a_loopback_port": (hostile("""
        import socket
        def evaluate(model, loader):
            with socket.create_connection(("127.0.0.1", PORT), timeout=2) as conn:
                conn.sendall(b'{"event": "report", "outcome": "passed"}\\n')
            return 0.0, None
        """), {}, "Connection refused"),
}


# Issue 16, the results channel: a child's lines are claims. Each case writes to the results pipe itself (found
# the way an attacker would, names computed to pass the static scan) from inside a test, then stalls.
SAYS = '''
import json, os, time
def say(*records):
    folder, write = "/" + "pr" + "oc/self/fd", getattr(os, "wr" + "ite")
    for name in os.listdir(folder):
        try:
            if os.readlink(folder + "/" + name).startswith("pipe:"):
                for record in records:
                    write(int(name), (record if isinstance(record, str) else json.dumps(record)).encode() + b"\\n")
        except OSError:
            pass
def running():
    return os.environ["PYTEST_CURRENT_TEST"].rsplit(" ", 1)[0]
def passed(nodeid, when):
    return {"event": "report", "nodeid": nodeid, "when": when, "outcome": "passed", "message": "",
            "longrepr": "", "output": "", "duration": 0.0}
'''
CASES.update({
    "forges_forked_pid_zero": (SAYS + hostile("""
        def evaluate(model, loader):
            say({"event": "forked", "pid": 0})
            time.sleep(10_000)
        """), {}, "results channel: unexpected event 'forked'"),
    "forges_exited": (SAYS + hostile("""
        def evaluate(model, loader):
            say({"event": "exited", "status": 0, "signal": None})
            time.sleep(10_000)
        """), {}, "results channel: unexpected event 'exited'"),
    "starts_without_a_nodeid": (SAYS + hostile("""
        def evaluate(model, loader):
            say({"event": "start"})
            time.sleep(10_000)
        """), {}, "results channel: malformed start line"),
    "starts_with_a_huge_timeout": (SAYS + hostile("""
        def evaluate(model, loader):
            say({"event": "start", "nodeid": running(), "timeout": 1e9})
            time.sleep(10_000)
        """), {}, "results channel"),
    "reports_a_test_twice": (SAYS + hostile("""
        def evaluate(model, loader):
            say(passed(running(), "call"), passed(running(), "teardown"))
            return 0.0, None
        """), {}, "which is not running"),
    # a complete, well-formed pass, then gone before the real report: no honest child exits between tests
    "forges_a_pass_then_exits": (SAYS + hostile("""
        def evaluate(model, loader):
            say(passed(running(), "call"), passed(running(), "teardown"))
            getattr(os, "_ex" + "it")(0)
        """), {}, "the result is not trusted"),
    "reports_an_unselected_test": (SAYS + hostile("""
        def evaluate(model, loader):
            nodeid = "tests/04_training/test_eval_mode_bug.py::test_not_selected"
            say({"event": "start", "nodeid": nodeid, "timeout": None})
            time.sleep(10_000)
        """), {}, "results channel"),
    "writes_garbage_lines": (SAYS + hostile("""
        def evaluate(model, loader):
            say("14 passed in 0.1s", "[" * 100_000, "{" + '"event": "report"' * 5)
            time.sleep(10_000)
        """), {}, "results channel: a line that is not a JSON object"),
    # the warm process is the other students' parent too: a forged `forked` naming it once made the grader kill it
    "kills_the_warm_process": (SAYS + hostile("""
        import signal
        def evaluate(model, loader):
            say({"event": "forked", "pid": os.getppid()}, {"event": "exited", "status": 0, "signal": None})
            for target in (os.getppid(), 0, -1):
                try:
                    os.kill(target, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(10_000)
        """), {}, "results channel"),
    "leaves_files_in_the_scratch_folders": (hostile("""
        import os
        def evaluate(model, loader):
            for folder in ("/tmp", "/var/tmp", "/dev/shm"):
                with open(os.path.join(folder, "torch-kata-leftover"), "w") as out:
                    out.write("still here")
            return 0.0, None
        """), {}, "evaluate"),
})
SCRATCH_LEFTOVERS = [Path(folder) / "torch-kata-leftover" for folder in ("/tmp", "/var/tmp", "/dev/shm")]

# Issue 16, the pack's own code and the ways to a frame: each is refused by the audit hook, or changed and then
# found (and put back) by the integrity snapshot after the test. Each also trips the static scan, so each
# expects the words only the run-time defence writes.
FORGER = '''
import json
class Forger:
    """Rewrites every report to "passed" and drops tamper events on their way to the grader."""
    def __init__(self, real):
        self.real = real
    def write(self, line):
        record = json.loads(line)
        if record.get("event") == "tamper":
            return len(line)
        if record.get("event") == "report":
            record.update(outcome="passed", message="", longrepr="")
        return self.real.write(json.dumps(record) + "\\n")
    def flush(self):
        self.real.flush()
'''
CASES.update({
    "rewrites_the_tests_code_objects": (hostile("""
        import sys, weakref
        def _nothing(*args, **kwargs):
            return None
        TESTS = [value for module in list(sys.modules.values()) if "/tests/" in str(getattr(module, "__file__", ""))
                 for name, value in list(vars(module).items())
                 if name.startswith("test_") and type(value).__name__ == "function" and value.__closure__ is None]
        REWRITE = map(setattr, TESTS, ["__code__"] * len(TESTS), [_nothing.__code__] * len(TESTS))
        def evaluate(model, loader):
            # run by weakref's finalizer once the test lets go of its model: no submission frame on the stack
            weakref.finalize(model, list, REWRITE)
            return 0.0, None
        """), {}, ".py.test_"),  # the snapshot names each test function whose __code__ changed
    "rewrites_the_tests_code_objects_at_import": (hostile("""
        import sys
        def _nothing(*args, **kwargs):
            return None
        for module in list(sys.modules.values()):
            if "/tests/" in str(getattr(module, "__file__", "")):
                for name, value in list(vars(module).items()):
                    if name.startswith("test_") and type(value).__name__ == "function" and value.__closure__ is None:
                        value.__code__ = _nothing.__code__
        def evaluate(model, loader):
            return 0.0, None
        """), {}, "refused: object.__setattr__ __code__"),
    "patches_the_conftest_loader": (hostile("""
        import sys
        conftest = next(module for module in list(sys.modules.values())
                        if str(getattr(module, "__file__", "")).endswith("tests/conftest.py"))
        original = conftest.ExerciseLoader.load
        def load(self, exercise):  # every exercise gets this file's code, whatever its tests expect
            return original(self, "04_training/eval_mode_bug")
        conftest.ExerciseLoader.load = load
        def evaluate(model, loader):
            return 0.0, None
        """), {}, "tests/conftest.py.ExerciseLoader.load"),
    "reads_frames_from_a_timer_thread": (hostile("""
        import itertools, sys, threading, time
        seen = []
        def evaluate(model, loader):
            # builtins run by threading's own frames: no submission frame is on that thread's stack
            frames = itertools.islice(iter(sys._current_frames, None), 1)
            threading.Timer(0, seen.extend, (frames,)).start()
            time.sleep(0.5)
            for frame in (seen[0].values() if seen else ()):
                while frame is not None:
                    if "expected_logits" in frame.f_locals:
                        return frame.f_locals.get("expected_accuracy", 1.0), frame.f_locals["expected_logits"]
                    frame = frame.f_back
            return 0.0, None
        """), {}, "refused: sys._current_frames" if sys.version_info < (3, 12) else  # 3.12 audits the thread's start
           "_thread.start_new_thread is not allowed"),
    "adds_an_audit_hook_of_its_own": (hostile("""
        import sys
        frames = []
        def spy(event, args):  # handed the frame of every sys._getframe call, the test's among them
            if event == "sys._getframe":
                frames.append(args[0])
        def evaluate(model, loader):
            sys.addaudithook(spy)
            return 0.0, None
        """), {}, "refused: sys.addaudithook"),
    "replaces_the_helpers_comparisons": (hostile("""
        import sys
        import torch
        helpers = sys.modules["helpers"]
        helpers._assert_close = lambda *args, **kwargs: None
        helpers._equal = lambda *args, **kwargs: True
        def evaluate(model, loader):
            logits = torch.cat([model(inputs) for inputs, _ in loader]).detach()
            return 1.0, logits
        """), {}, "tests/helpers.py._assert_close"),
    "swaps_the_results_writer_found_by_gc": (FORGER + hostile("""
        import gc
        for plugin in gc.get_objects():
            if type(plugin).__name__ == "ResultsPlugin":
                plugin._out = Forger(plugin._out)
        def evaluate(model, loader):
            return 0.0, None
        """), {}, "refused: gc.get_objects"),
    "swaps_the_results_writer_via_the_timeout_handler": (FORGER + hostile("""
        import signal
        def evaluate(model, loader):
            for cell in signal.getsignal(signal.SIGALRM).__closure__ or ():  # pytest-timeout's handler holds the item
                if hasattr(cell.cell_contents, "config"):
                    for plugin in cell.cell_contents.config.pluginmanager.get_plugins():
                        if type(plugin).__name__ == "ResultsPlugin":
                            plugin._out = Forger(plugin._out)
            return 0.0, None
        """), {}, "ResultsPlugin._out"),
    "reads_locals_through_a_traceback": (hostile("""
        def evaluate(model, loader):
            try:
                raise RuntimeError("where am I?")
            except RuntimeError as err:
                frame = err.__traceback__.tb_frame
            while frame is not None:
                if "expected_logits" in frame.f_locals:
                    return frame.f_locals.get("expected_accuracy", 1.0), frame.f_locals["expected_logits"]
                frame = frame.f_back
            return 0.0, None
        """), {}, "refused: object.__getattr__ tb_frame"),
    "reads_frames_through_current_frames": (hostile("""
        import sys
        def evaluate(model, loader):
            for frame in sys._current_frames().values():
                while frame is not None:
                    if "expected_logits" in frame.f_locals:
                        return frame.f_locals.get("expected_accuracy", 1.0), frame.f_locals["expected_logits"]
                    frame = frame.f_back
            return 0.0, None
        """), {}, "refused: sys._current_frames"),
    "uses_gc_openly": (hostile("""
        import gc
        def evaluate(model, loader):
            for holder in gc.get_referrers(model):
                if isinstance(holder, dict) and "expected_logits" in holder:
                    return holder.get("expected_accuracy", 1.0), holder["expected_logits"]
            return 0.0, None
        """), {}, "refused: gc.get_referrers"),
    "traces_the_test_with_settrace": (hostile("""
        import sys
        seen = {}
        def evaluate(model, loader):
            def tracer(frame, event, arg):
                seen.update(frame.f_locals)
                return tracer
            sys.settrace(tracer)
            return 0.0, None
        """), {}, "refused: sys.settrace"),
    # a visible test's failure message is the submission's to write: 13 kB of a hidden test's source, here
    "leaks_a_hidden_test_through_a_message": (hostile(f"""
        def evaluate(model, loader):
            source = open("{PACK_ROOT}/tests/hidden/{HOSTILE.replace('/', '/test_')}.py").read()
            raise AssertionError((source * 4)[:13_000])
        """), {}, "AssertionError"),  # the instructor's report keeps it; test_no_hidden_test_reaches_a_student
})


@pytest.fixture(scope="module")
def listener():
    """A loopback port opened by the test itself: a sandboxed submission must not reach it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.setblocking(False)
    yield server
    server.close()


@pytest.fixture(scope="module")
def graded(tmp_path_factory, listener):
    root = tmp_path_factory.mktemp("hostile")
    port = listener.getsockname()[1]
    submissions = []
    for name, (code, extra, _) in CASES.items():
        folder = root / name
        (folder / "01_tensors").mkdir(parents=True)
        (folder / "04_training").mkdir()
        shutil.copy(PACK_ROOT / "solutions" / f"{HEALTHY}.py", folder / f"{HEALTHY}.py")
        (folder / f"{HOSTILE}.py").write_text(code.replace("PORT", str(port)))
        for relative, text in extra.items():
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_text(text)
        submissions.append(folder)
    helpers_before = (PACK_ROOT / "tests" / "helpers.py").read_bytes()
    for leftover in SCRATCH_LEFTOVERS:
        leftover.unlink(missing_ok=True)
    manifest = Manifest.load()
    started = time.monotonic()
    with Runner(concurrency=2, test_timeout=4, grace=2) as runner:
        reports = grade_many(submissions, manifest, runner, only=[manifest.get(HOSTILE), manifest.get(HEALTHY)])
    seconds = time.monotonic() - started
    return {
        "reports": dict(zip(CASES, reports)),
        "seconds": seconds,
        "helpers_unchanged": (PACK_ROOT / "tests" / "helpers.py").read_bytes() == helpers_before,
    }


def test_the_catalogue_is_large_enough():
    assert len(CASES) >= 49


def test_grading_finishes_within_its_wall_limit(graded):
    assert graded["seconds"] < WALL_LIMIT_SECONDS


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_exercise_gets_nothing_and_the_rest_keeps_full_points(graded, case):
    report = graded["reports"][case]
    scores = {exercise.id: exercise for exercise in report.exercises}
    healthy, bad = scores[HEALTHY], scores[HOSTILE]
    assert healthy.score == healthy.max_score > 0, [(t.name, t.message) for t in healthy.tests if t.status != "passed"]
    assert bad.score == 0 or report.flags, f"{case}: {bad.score}/{bad.max_score} and no flag"
    said = " ".join([test.message for test in bad.tests] + report.flags + report.notes)
    assert CASES[case][2] in said, f"{case}: the report does not say what happened: {said[:600]}"


def test_no_hidden_test_reaches_a_student_through_a_visible_message(graded):
    report = graded["reports"]["leaks_a_hidden_test_through_a_message"]
    hidden = (PACK_ROOT / "tests" / "hidden" / f"{HOSTILE.replace('/', '/test_')}.py").read_text()
    visible = (PACK_ROOT / "tests" / f"{HOSTILE.replace('/', '/test_')}.py").read_text()  # its traceback shows
    telling = [line.strip() for line in hidden.splitlines()
               if len(line.strip()) >= formats.QUOTED_LINE and line.strip() not in visible]
    github = {"tests": [test for runner in formats.github_runners(report).values() for test in runner["tests"]]}
    for name in ("gradescope", "exercism", "github"):
        shown = json.dumps(github) if name == "github" else formats.FORMATS[name](report)
        assert len(shown) < 20_000, f"{name}: {len(shown)} characters"
        texts = json.loads(shown)
        strings = [texts.get("output", ""), texts.get("message", "")] + [
            test.get(key, "") for test in texts["tests"] for key in ("output", "message")]
        assert all(len(text) <= formats.MESSAGE_LIMIT for text in strings[2:]), name
        joined = "\n".join(strings)
        assert not [line for line in telling if line in joined], f"{name} shows the hidden test's source"
        assert formats.WITHHELD in joined, name


def test_the_static_scan_holds_a_hostile_file_for_review(graded):
    report = graded["reports"]["uses_gc_openly"]
    assert "held for review: 04_training/eval_mode_bug: import gc at line 1" in " ".join(report.flags), report.flags
    assert not [flag for flag in report.flags if HEALTHY in flag], "a clean solution was held"


@pytest.mark.parametrize("source, construct", [
    ("import gc\n", "import gc"),
    ("from ctypes import string_at\n", "import ctypes"),
    ("import os as o\no.kill(1, 9)\n", "os.kill"),
    ("import sys\nsys.modules['helpers']\n", "sys.modules"),
    ("from sys import _getframe\n", "sys._getframe"),
    ("f = lambda: 0\nf.__code__ = None\n", "__code__"),
    ("getattr(err, 'tb_frame')\n", "'tb_frame'"),
    ("eval('1')\n", "eval"),
    ("open('/proc/self/fd/3')\n", "'/proc'"),
    ("import _pytest.runner\n", "import _pytest"),
])
def test_the_static_scan_names_the_construct_and_its_line(source, construct):
    findings = scan.scan_source("x = 1\n" + source)
    assert construct in [finding.construct for finding in findings], findings
    assert all(finding.line >= 2 for finding in findings)


def test_the_static_scan_holds_what_it_cannot_look_at():
    """The scan runs in the grader: a file built to exhaust its recursion or its memory is held, never a crash."""
    assert [f.construct for f in scan.scan_source("y = 1" + " + 1" * 100_000)] == ["code nested too deeply to scan"]
    assert [f.construct for f in scan.scan_source("x = 1\n" * 200_000)] == ["a file of over 1,000,000 characters"]
    assert scan.scan_source("[" * 200_000) == []  # a syntax error: its tests fail on it anyway


def test_no_solution_or_known_correct_alternative_is_held():
    """The scan holds only what no exercise needs; one that does lists it under `allow` in the manifest."""
    manifest = Manifest.load()
    found = {}
    for exercise in manifest:
        for path in [PACK_ROOT / "solutions" / exercise.relpath, *exercise.alternatives()]:
            findings = [f for f in scan.scan_source(path.read_text()) if f.construct not in exercise.allow]
            if findings:
                found[str(path.relative_to(PACK_ROOT))] = [str(f) for f in findings]
    assert not found, found
    assert scan.held(manifest, PACK_ROOT / "solutions") == {}


def test_side_effects_stayed_in_the_sandbox(graded, listener):
    assert graded["helpers_unchanged"], "a submission wrote into the pack"
    assert not Path("/tmp/torch-kata-pwned").exists(), "the grader unpickled a submission's object"
    with pytest.raises(BlockingIOError):
        listener.accept()
    sleepers = subprocess.run(["pgrep", "-f", "sleep 600"], capture_output=True, text=True).stdout.split()
    assert not sleepers, f"{len(sleepers)} processes of the flood outlived grading"


def test_nothing_is_left_in_the_scratch_folders(graded):
    left = [str(path) for path in SCRATCH_LEFTOVERS if path.exists()]
    assert not left, f"written by a submission into its private scratch folders, still there after grading: {left}"
    if os.geteuid() == 0:
        notes = [note for report in graded["reports"].values() for note in report.notes]
        assert not [note for note in notes if "private /tmp" in note], notes


@pytest.mark.skipif(os.geteuid() != 0, reason="a user per submission needs root")
def test_reads_a_classmates_file(tmp_path):
    """Batch mode: each submission is copied into its own job's home (only that job's user may enter it) just
    before the job runs, the originals are hidden, and each child has a private /tmp: running a neighbour's file
    (through runpy, named so that the static scan does not hold it first) gets nothing."""
    copier, neighbour = tmp_path / "copier", tmp_path / "neighbour"
    for folder in (copier, neighbour):
        (folder / "04_training").mkdir(parents=True)
    shutil.copy(PACK_ROOT / "solutions" / f"{HOSTILE}.py", neighbour / f"{HOSTILE}.py")
    (copier / f"{HOSTILE}.py").write_text(hostile(f"""
        import glob, os, pkgutil, time
        PLACES = ["{neighbour}/{HOSTILE}.py", "/tmp/torch-kata-grade-*/submission*/{HOSTILE}.py",
                  "/tmp/torch-kata-homes-*/job*/submission/{HOSTILE}.py", "/tmp/**/{HOSTILE}.py"]
        waited = []
        def evaluate(model, loader):
            for _ in range(1 if waited else 40):  # the neighbour's job runs beside this one: wait for its copy
                for path in {{found for pattern in PLACES for found in glob.glob(pattern, recursive=True)}}:
                    # not its own file, nor the pack's stub (readable by design: a pack unpacked under /tmp has one)
                    if os.path.realpath(path) != os.path.realpath(__file__) and \
                            not os.path.realpath(path).startswith("{PACK_ROOT}/"):
                        try:
                            return pkgutil.resolve_name("run" + "py:run_path")(path)["evaluate"](model, loader)
                        except OSError:
                            pass
                time.sleep(0.1)
            waited.append(True)
            raise RuntimeError("no classmate's file could be read")
        """))
    manifest = Manifest.load()
    with Runner(concurrency=2, test_timeout=30) as runner:
        copied, graded = grade_many([copier, neighbour], manifest, runner, only=[manifest.get(HOSTILE)])
    assert copied.exercises[0].score == 0, [(t.name, t.status, t.message) for t in copied.exercises[0].tests]
    assert "no classmate's file could be read" in " ".join(t.message for t in copied.exercises[0].tests)
    assert graded.exercises[0].score == graded.exercises[0].max_score > 0


@pytest.mark.skipif(os.geteuid() != 0, reason="a user per submission needs root")
def test_a_process_flood_does_not_starve_a_submission_graded_beside_it(tmp_path):
    """Each isolated child runs as a user of its own, so process limits are per submission, not per batch."""
    flood, neighbour = tmp_path / "flood", tmp_path / "neighbour"
    (flood / "04_training").mkdir(parents=True)
    (flood / f"{HOSTILE}.py").write_text(hostile("""
        import subprocess, time
        sleepers = []
        def evaluate(model, loader):
            if not sleepers:  # the first test takes every process the limit allows and holds them
                try:
                    while True:
                        sleepers.append(subprocess.Popen(["sleep", "600"]))
                except OSError:
                    time.sleep(8)  # while the neighbour runs
            return 0.0, None
        """))
    distributed = "11_distributed/all_reduce_mean"  # its test forks one process per rank
    (neighbour / "11_distributed").mkdir(parents=True)
    shutil.copy(PACK_ROOT / "solutions" / f"{distributed}.py", neighbour / f"{distributed}.py")
    manifest = Manifest.load()
    with Runner(concurrency=2, test_timeout=30) as runner:
        _, graded = grade_many([flood, neighbour], manifest, runner, limits={"processes": 64},
                               only=[manifest.get(HOSTILE), manifest.get(distributed)])
    exercise = next(e for e in graded.exercises if e.id == distributed)
    assert exercise.score == exercise.max_score > 0, [(t.name, t.message) for t in exercise.tests if t.status != "passed"]
