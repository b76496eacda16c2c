"""The pytest plugin a grading child loads: it streams one JSON line per event to the grader.

It writes to a pipe inherited from the warm process, never to a file at a known path. The grader decides
everything else (what was expected, what counts, what a missing result means).
"""

from __future__ import annotations

import builtins
import inspect
import json
import os
import signal
import sys
import sysconfig
import traceback

import pytest

from grading import integrity
from grading.manifest import PACK_ROOT

MESSAGE_LIMIT = 2_000
OUTPUT_LIMIT = 8_000


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n… [truncated: {len(text) - limit} more characters]"


def short_message(report: pytest.TestReport | pytest.CollectReport) -> str:
    """The one line a learner needs: the assertion message or the error, not the traceback."""
    longrepr = report.longrepr
    if longrepr is None:
        return ""
    if isinstance(longrepr, tuple):  # skip: (path, lineno, reason)
        return str(longrepr[2]).removeprefix("Skipped: ")
    crash = getattr(longrepr, "reprcrash", None)
    if crash is not None:
        return crash.message
    return str(longrepr).strip()


def _watched_objects() -> dict[str, tuple[object, str]]:
    """What a submission could patch to change a verdict: comparisons, pytest's reporting, timeouts, us."""
    import _pytest.reports
    import _pytest.runner
    import pytest_timeout
    import torch

    return {
        "torch.allclose": (torch, "allclose"),
        "torch.equal": (torch, "equal"),
        "torch.isclose": (torch, "isclose"),
        "torch.testing.assert_close": (torch.testing, "assert_close"),
        "torch.Tensor.__eq__": (torch.Tensor, "__eq__"),
        "torch.Tensor.__torch_function__": (torch.Tensor, "__torch_function__"),
        "TestReport.from_item_and_call": (_pytest.reports.TestReport, "from_item_and_call"),
        "TestReport.__init__": (_pytest.reports.TestReport, "__init__"),
        "_pytest.runner.call_and_report": (_pytest.runner, "call_and_report"),
        "_pytest.runner.runtestprotocol": (_pytest.runner, "runtestprotocol"),
        "pytest_timeout.timeout_sigalrm": (pytest_timeout, "timeout_sigalrm"),
        "signal.signal": (signal, "signal"),
        "signal.alarm": (signal, "alarm"),
        "json.dumps": (json, "dumps"),
        "ResultsPlugin.pytest_runtest_logreport": (ResultsPlugin, "pytest_runtest_logreport"),
        "ResultsPlugin._emit": (ResultsPlugin, "_emit"),
    }


# Audit events that hand their caller a frame, every object, a tracer's view or raw memory, or rewrite code.
# CPython raises object.__getattr__ only for a few attributes (3.11: tb_frame, gi_frame, cr_frame, ag_frame,
# f_code, __code__); the others are listed for the versions that add them.
_FRAME_ATTRIBUTES = frozenset({"tb_frame", "gi_frame", "cr_frame", "ag_frame", "f_back", "f_locals", "f_globals",
                               "__globals__"})
_CODE_ATTRIBUTES = frozenset({"__code__", "__defaults__", "__kwdefaults__"})
_INTERNAL_MODULES = frozenset({"_testcapi", "_testinternalcapi", "_testbuffer", "_testmultiphase", "_ctypes_test",
                               "_xxsubinterpreters", "_xxinterpchannels"})  # CPython's own test hooks into objects
# the ctypes events of CPython's audit table: raw memory, foreign calls
_CTYPES_EVENTS = ("ctypes.addressof", "ctypes.call_function", "ctypes.cdata", "ctypes.cdata/buffer",
                  "ctypes.create_string_buffer", "ctypes.create_unicode_buffer", "ctypes.dlopen", "ctypes.dlsym",
                  "ctypes.dlsym/handle", "ctypes.get_errno", "ctypes.get_last_error", "ctypes.set_errno",
                  "ctypes.set_exception", "ctypes.set_last_error", "ctypes.string_at", "ctypes.wstring_at",
                  "ctypes.PyObj_FromPtr")
# event -> None (always judged) or (argument index, the values judged); one dict lookup for every other event.
# exec and compile are left to the static scan: torch's code generation raises them by the hundred thousand.
# (3.12 audits starting a thread; 3.11 does not, so _from_submission also judges a thread's own frames)
_RULES: dict[str, tuple[int, frozenset] | None] = {
    "object.__getattr__": (1, _FRAME_ATTRIBUTES), "object.__setattr__": (1, _CODE_ATTRIBUTES),
    "import": (0, _INTERNAL_MODULES),
    **dict.fromkeys(("sys._getframe", "sys._current_frames", "sys._current_exceptions", "sys._getframemodulename",
                     "code.__new__", "function.__new__", "_thread.start_new_thread", *_CTYPES_EVENTS)),
    **dict.fromkeys(("gc.get_objects", "gc.get_referrers", "gc.get_referents", "sys.settrace", "sys.setprofile",
                     "sys.addaudithook", "sys.monitoring.register_callback")),
}
# refused while submission code is anywhere on the stack (no library needs them at test time), so that no
# library can be made to do them for it; so are setting a __code__ (namedtuple sets __defaults__: not that
# one) and the internal modules. An audit hook of the submission's own would be handed every frame audited.
_STACK_EVENTS = frozenset({"gc.get_objects", "gc.get_referrers", "gc.get_referents", "sys.settrace",
                           "sys.setprofile", "sys.addaudithook", "sys.monitoring.register_callback", "import"})
_UNJUDGED = object()
# library code that hands its caller what it found, or runs what it is given: judge the frame that called it
# (prefixes end in os.sep: a code object's file name uses the platform's separator, a backslash on Windows)
_STDLIB = os.path.dirname(inspect.__file__)
_PROXY_FILES = tuple(os.path.join(_STDLIB, *name.split("/")) for name in (
    "inspect.py", "bdb.py", "pdb.py", "ctypes/", "threading.py", "concurrent/futures/"))
# Python's own library, the installed packages (wherever a distribution put torch and pytest), and the pack's
# grading code and tests; not the prefixes themselves: where Python lives in /, they would trust everything
_LIBRARIES = [sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")]
_LIBRARIES += [os.path.dirname(os.path.dirname(module.__file__)) for module in map(sys.modules.get, (
    "torch", "numpy", "pytest", "_pytest", "pluggy", "torchvision", "onnxruntime", "onnxscript"))
               if getattr(module, "__file__", None)]
_TRUSTED_FILES = tuple(dict.fromkeys([*(os.path.join(folder, "") for folder in _LIBRARIES),
                                      os.path.join(PACK_ROOT, "grading", ""), os.path.join(PACK_ROOT, "tests", ""),
                                      "<frozen "]))
_VARIANTS = str(PACK_ROOT / "tests" / "variants")  # stand-ins for a submission (grader.py check)
_WALKERS = (traceback.walk_tb.__code__, traceback.walk_stack.__code__)
_SNAPSHOT_CHECK = integrity.Snapshot._references.__code__


def _untrusted(frame) -> bool:
    """Submission code: code from outside Python and the pack (a submission's file lives in a temp folder).

    Judged by the code's file name alone, through str's own method: a submission controls its globals, and a
    method of its objects would run inside the hook, where nothing is refused.
    """
    filename = frame.f_code.co_filename
    return not str.startswith(filename, _TRUSTED_FILES) or str.startswith(filename, _VARIANTS)


def _from_submission(frame) -> bool:
    """Did submission code ask, directly or through a library that hands back what it found (inspect,
    traceback's walkers, pdb, ctypes) or runs what it is given (threading)? A thread with nothing but those
    below the call is running a builtin someone handed it (`threading.Timer(0, gc.get_objects)`): so it did."""
    proxied = False
    while frame is not None and (str.startswith(frame.f_code.co_filename, _PROXY_FILES)
                                 or frame.f_code is _WALKERS[0] or frame.f_code is _WALKERS[1]):
        frame, proxied = frame.f_back, True
    return _untrusted(frame) if frame is not None else proxied


def _submission_on_stack(frame) -> bool:
    if _from_submission(frame):
        return True
    while frame is not None:
        if _untrusted(frame):
            return True
        frame = frame.f_back
    return False


def _pack_code(session: pytest.Session) -> dict[str, object]:
    """The modules the integrity snapshot watches, by label: the collected test modules, the pack's other
    modules under tests/ (conftest, helpers), builtins, this plugin, and the code that turns a test into a
    verdict, whose functions' __code__ _watched_objects() would not see change (not torch itself: its lazy
    submodules add names to it as tests first use them)."""
    modules = {id(item.module): item.module for item in session.items if getattr(item, "module", None)}
    tests = str(PACK_ROOT / "tests")
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None) or ""
        if file.startswith(tests) and not file.startswith(_VARIANTS) and not module.__name__.startswith("_kata_"):
            modules[id(module)] = module
    verdict = ("_pytest.python", "_pytest.runner", "_pytest.reports", "pytest_timeout", "torch.testing._comparison")
    for module in (builtins, sys.modules[__name__], integrity, *filter(None, map(sys.modules.get, verdict))):
        modules[id(module)] = module
    return {integrity.label_of(module, PACK_ROOT): module for module in modules.values()}


class ResultsPlugin:
    def __init__(self, fd: int, select: list[str] | None = None, sandbox_problems: list[str] | None = None,
                 canary: str | None = None) -> None:
        self._out = os.fdopen(fd, "w", buffering=1, encoding="utf-8", errors="replace")
        self._select = set(select) if select is not None else None
        self._canary = canary
        if sandbox_problems:
            self._emit(event="sandbox", problems=sandbox_problems)
        self._current: str | None = None
        self._watched = _watched_objects()
        self._originals = {name: inspect.getattr_static(owner, attr) for name, (owner, attr) in self._watched.items()}
        self._in_audit = False
        self._snapshot: integrity.Snapshot | None = None
        sys.addaudithook(self._audit)  # audit hooks cannot be removed, not even by a submission

    def _audit(self, event: str, args: tuple) -> None:
        """Refuse submission code the ways to the test's frames, the pack's objects and raw memory.

        It runs on every audit event of the process, so the uninteresting ones return at the first test.
        """
        rule = _RULES.get(event, _UNJUDGED)
        if rule is _UNJUDGED or (rule is not None and args[rule[0]] not in rule[1]):
            return
        if self._in_audit:
            return
        self._in_audit = True
        try:
            try:
                caller = sys._getframe(1)
            except ValueError:  # raised from C with no Python frame at all: no submission code asked
                return
            if caller.f_code is _SNAPSHOT_CHECK:  # our own check after every test: spare it the stack walk
                return
            stack_wide = event in _STACK_EVENTS or (event == "object.__setattr__" and args[1] == "__code__")
            if _submission_on_stack(caller) if stack_wide else _from_submission(caller):
                if event == "import":
                    what = "import of a CPython test module"  # the name is the submission's object: not shown
                elif rule is not None:
                    what = f"{event} {args[1]}"  # an attribute name: CPython's own string
                else:
                    what = event
                self._emit(event="tamper", nodeid=self._current, what=[f"refused: {what}"])
                raise RuntimeError(f"torch-kata: {what} is not allowed during grading (the test's frames, the "
                                   "pack's objects and raw memory are off limits)")
        finally:
            self._in_audit = False

    def _check_integrity(self) -> None:
        """After a test: anything watched replaced? Put the original back for the next test, then report it
        (the pack's code and our own writer first, so that the report goes out through the real one)."""
        changed = self._snapshot.changes() if self._snapshot is not None else []
        changed += [name for name, (owner, attr) in self._watched.items()
                    if inspect.getattr_static(owner, attr, None) is not self._originals[name]]
        if changed:
            for name in changed:
                if name in self._watched:
                    owner, attr = self._watched[name]
                    setattr(owner, attr, self._originals[name])
            shown = changed if len(changed) <= 6 else changed[:5] + [f"and {len(changed) - 5} more"]
            self._emit(event="tamper", nodeid=self._current, what=shown)

    def _take_snapshot(self, session: pytest.Session) -> None:
        """The pack's code as collection left it: test modules, conftest, helpers, this plugin and its writer.

        Collection never imports a submission (the `ex` fixture loads it at test time); one already loaded
        would mean the snapshot may hold its changes, so that is reported too.
        """
        early = sorted(name for name in sys.modules if name.startswith("_kata_"))
        if early:
            self._emit(event="tamper", nodeid=None, what=[f"submission code loaded during collection: {early}"])
        namespaces = _pack_code(session)
        namespaces.update({"results writer": self._out, "results writer's buffer": self._out.buffer,
                           "results writer's file": self._out.buffer.raw})
        own = ("_out", "_select", "_canary", "_watched", "_originals", "_emit", "_check_integrity",
               "_audit")
        self._snapshot = integrity.Snapshot(namespaces, {f"ResultsPlugin.{name}": (self, name) for name in own})

    def _emit(self, **record) -> None:
        self._out.write(json.dumps(record) + "\n")
        self._out.flush()

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        if self._select is None:
            return
        wanted = [item.nodeid in self._select or item.name == self._canary for item in items]
        kept = [item for item, keep in zip(items, wanted) if keep]
        dropped = [item for item, keep in zip(items, wanted) if not keep]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        items[:] = kept

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self._emit(event="collecterror", nodeid=report.nodeid,
                       message=truncate(str(report.longrepr), MESSAGE_LIMIT))

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self._take_snapshot(session)
        self._timeouts = {}
        for item in session.items:
            marker = item.get_closest_marker("timeout")
            if marker and marker.args:
                self._timeouts[item.nodeid] = float(marker.args[0])
            exercise = item.get_closest_marker("exercise")
            weight = item.get_closest_marker("points")
            skip = item.get_closest_marker("skip")
            self._emit(
                event="collected",
                nodeid=item.nodeid,
                exercise=exercise.args[0] if exercise else None,
                hidden=item.get_closest_marker("hidden") is not None,
                cuda=item.get_closest_marker("cuda") is not None,
                slow=item.get_closest_marker("slow") is not None,
                weight=float(weight.args[0]) if weight else 1.0,
                skip=skip.kwargs.get("reason", "") if skip else None,
                timeout=self._timeouts.get(item.nodeid),  # the grader's limits come from its own collect pass
            )

    def pytest_runtest_logstart(self, nodeid: str) -> None:
        self._current = nodeid
        self._emit(event="start", nodeid=nodeid, timeout=getattr(self, "_timeouts", {}).get(nodeid))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "teardown":  # the line that completes a test's result: only after the check
            self._check_integrity()
        output = "".join(f"--- {name} ---\n{content}" for name, content in report.sections if content)
        self._emit(
            event="report",
            nodeid=report.nodeid,
            when=report.when,
            outcome=report.outcome,
            message=truncate(short_message(report), MESSAGE_LIMIT) if not report.passed else "",
            longrepr=truncate(str(report.longrepr), OUTPUT_LIMIT) if report.failed else "",
            output=truncate(output, OUTPUT_LIMIT),
            duration=report.duration,
        )

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        self._check_integrity()
        self._emit(event="finished", exitstatus=int(exitstatus))
