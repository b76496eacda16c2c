"""The hostile-submission catalogue: each case is a submission whose exercises are correct except one hostile
file. Grading all of them must finish within its wall limit, give the hostile exercise 0 (or flag it), leave the
other exercise its full points, and say in the report what happened."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import textwrap
import time
from pathlib import Path

import pytest

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
    assert len(CASES) >= 22


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


def test_side_effects_stayed_in_the_sandbox(graded, listener):
    assert graded["helpers_unchanged"], "a submission wrote into the pack"
    assert not Path("/tmp/torch-kata-pwned").exists(), "the grader unpickled a submission's object"
    with pytest.raises(BlockingIOError):
        listener.accept()
    sleepers = subprocess.run(["pgrep", "-f", "sleep 600"], capture_output=True, text=True).stdout.split()
    assert not sleepers, f"{len(sleepers)} processes of the flood outlived grading"


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
