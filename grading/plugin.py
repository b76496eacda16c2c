"""The pytest plugin a grading child loads: it streams one JSON line per event to the grader.

It writes to a pipe inherited from the warm process, never to a file at a known path. The grader decides
everything else (what was expected, what counts, what a missing result means).
"""

from __future__ import annotations

import inspect
import json
import os
import signal
import sys

import pytest

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


def _from_submission(frame) -> bool:
    return frame is not None and frame.f_globals.get("__name__", "").startswith("_kata_")


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
        sys.addaudithook(self._audit)  # audit hooks cannot be removed, not even by a submission

    def _audit(self, event: str, args: tuple) -> None:
        """Refuse frame introspection by submission code: it is how a test's expected values get read."""
        if event != "sys._getframe" or self._in_audit:
            return
        self._in_audit = True
        try:
            caller = sys._getframe(1)
            if _from_submission(caller) or (caller.f_code.co_filename == inspect.__file__
                                            and _from_submission(caller.f_back)):
                self._emit(event="tamper", nodeid=self._current, what=["frame introspection (inspect.stack)"])
                raise RuntimeError("torch-kata: reading the test's frames is not allowed during grading")
        finally:
            self._in_audit = False

    def _check_integrity(self) -> None:
        """After a test: anything watched replaced? Report it, then put the original back for the next test."""
        changed = [name for name, (owner, attr) in self._watched.items()
                   if inspect.getattr_static(owner, attr, None) is not self._originals[name]]
        if changed:
            self._emit(event="tamper", nodeid=self._current, what=changed)
            for name in changed:
                owner, attr = self._watched[name]
                setattr(owner, attr, self._originals[name])

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
            )

    def pytest_runtest_logstart(self, nodeid: str) -> None:
        self._current = nodeid
        self._emit(event="start", nodeid=nodeid, timeout=getattr(self, "_timeouts", {}).get(nodeid))

    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        self._check_integrity()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
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
