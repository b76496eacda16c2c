"""The pytest plugin a grading child loads: it streams one JSON line per event to the grader.

It writes to a pipe inherited from the warm process, never to a file at a known path. The grader decides
everything else (what was expected, what counts, what a missing result means).
"""

from __future__ import annotations

import json
import os

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


class ResultsPlugin:
    def __init__(self, fd: int, select: list[str] | None = None) -> None:
        self._out = os.fdopen(fd, "w", buffering=1, encoding="utf-8", errors="replace")
        self._select = set(select) if select is not None else None

    def _emit(self, **record) -> None:
        self._out.write(json.dumps(record) + "\n")
        self._out.flush()

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        if self._select is None:
            return
        kept = [item for item in items if item.nodeid in self._select]
        dropped = [item for item in items if item.nodeid not in self._select]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        items[:] = kept

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self._emit(event="collecterror", nodeid=report.nodeid,
                       message=truncate(str(report.longrepr), MESSAGE_LIMIT))

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        for item in session.items:
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
        self._emit(event="start", nodeid=nodeid)

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
        self._emit(event="finished", exitstatus=int(exitstatus))
