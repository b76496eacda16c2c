"""What a grading child may say to the grader, and in what order.

A child runs submission code in the same process as the results plugin, so every line it writes is a claim,
not a fact. Each line is checked against a JSON schema for its event (exact fields, types, bounds), then
against what a pytest run can really do (`Sequence`): a test starts once, its reports come setup, call,
teardown, only selected tests run, nothing follows `finished`. Pids, exits and time limits never come from
here: the warm process and the grader's own collection know those.
"""

from __future__ import annotations

from typing import Iterable

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

NODEID = {"type": "string", "minLength": 1, "maxLength": 1_000}
TEXT = {"type": "string", "maxLength": 20_000}  # the plugin truncates messages to 2 000, output to 8 000
SECONDS = {"type": "number", "minimum": 0, "maximum": 86_400}
TEXTS = {"type": "array", "items": TEXT, "maxItems": 100}


def _event(name: str, required: dict, optional: dict | None = None) -> dict:
    return {
        "type": "object",
        "properties": {"event": {"const": name}, **required, **(optional or {})},
        "required": ["event", *required],
        "additionalProperties": False,
    }


SCHEMAS: dict[str, dict] = {
    "collected": _event("collected", {
        "nodeid": NODEID,
        "exercise": {"type": ["string", "null"], "maxLength": 200},
        "hidden": {"type": "boolean"},
        "cuda": {"type": "boolean"},
        "slow": {"type": "boolean"},
        "weight": {"type": "number", "minimum": 0, "maximum": 1_000},
        "skip": {"type": ["string", "null"], "maxLength": 2_000},
    }, {"timeout": {"type": ["number", "null"], "minimum": 0, "maximum": 86_400}}),
    "collecterror": _event("collecterror", {"nodeid": {"type": "string", "maxLength": 1_000}, "message": TEXT}),
    # `timeout` is sent but ignored: a test's limit comes from the grader's collection
    "start": _event("start", {"nodeid": NODEID}, {"timeout": {"type": ["number", "null"]}}),
    "report": _event("report", {
        "nodeid": NODEID,
        "when": {"enum": ["setup", "call", "teardown"]},
        "outcome": {"enum": ["passed", "failed", "skipped"]},
        "message": TEXT,
        "longrepr": TEXT,
        "output": TEXT,
        "duration": SECONDS,
    }),
    "tamper": _event("tamper", {"nodeid": {"type": ["string", "null"], "maxLength": 1_000}, "what": TEXTS}),
    "sandbox": _event("sandbox", {"problems": TEXTS}),
    "finished": _event("finished", {"exitstatus": {"type": "integer"}}),
}
VALIDATORS = {name: Draft202012Validator(schema) for name, schema in SCHEMAS.items()}


def one_line(text: str, limit: int = 200) -> str:
    """A reason fit for a report: the child chose this text, so it is flattened and bounded."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[:limit] + "…"


class Sequence:
    """One attempt's child lines, checked in order. `problem(record)` says what is wrong with the next one."""

    def __init__(self, expected: Iterable[str] | None, canary: str | None = None, collect_only: bool = False) -> None:
        self.expected = set(expected) if expected is not None else None  # None: whatever the child collects
        self.canary = canary
        self.collect_only = collect_only
        self.collected: set[str] = set()
        self.started: set[str] = set()
        self.current: str | None = None
        self.phases: list[tuple[str, str]] = []  # (when, outcome) of the running test
        self.finished = False

    def problem(self, record: object) -> str | None:
        kind = record.get("event") if isinstance(record, dict) else None
        validator = VALIDATORS.get(kind) if isinstance(kind, str) else None
        if validator is None:
            return f"unexpected event {one_line(repr(kind), 60)}"
        if not validator.is_valid(record):
            error = best_match(validator.iter_errors(record))
            return f"malformed {kind} line: {one_line(error.message, 120)}"
        if self.finished:
            return f"a {kind} line after the session finished"
        return getattr(self, f"_{kind}", lambda _: None)(record)

    def _selected(self, nodeid: str) -> bool:
        if self.canary and nodeid.endswith("::" + self.canary):
            return True
        return nodeid in self.collected if self.expected is None else nodeid in self.expected

    def _collected(self, record: dict) -> str | None:
        nodeid = record["nodeid"]
        if self.started:
            return f"collected {one_line(nodeid, 120)} after tests had started"
        if self.expected is not None and not self._selected(nodeid):
            return f"collected {one_line(nodeid, 120)}, which was not selected"
        self.collected.add(nodeid)
        return None

    def _start(self, record: dict) -> str | None:
        nodeid = one_line(record["nodeid"], 120)
        if self.collect_only:
            return f"{nodeid} started in a collect-only run"
        if self.current is not None:
            return f"{nodeid} started while {one_line(self.current, 120)} was still running"
        if record["nodeid"] in self.started:
            return f"{nodeid} started twice"
        if not self._selected(record["nodeid"]):
            return f"{nodeid} started but was not selected"
        self.started.add(record["nodeid"])
        self.current, self.phases = record["nodeid"], []
        return None

    def _report(self, record: dict) -> str | None:
        nodeid, when = record["nodeid"], record["when"]
        if nodeid != self.current:
            return f"a {when} report for {one_line(nodeid, 120)}, which is not running"
        seen = [phase for phase, _ in self.phases]
        # pytest's order: setup; call only after a setup that passed; teardown once, after either
        allowed = {"setup": not seen, "call": self.phases == [("setup", "passed")],
                   "teardown": bool(seen) and "teardown" not in seen}
        if not allowed[when]:
            return f"a {when} report for {one_line(nodeid, 120)} after {seen or 'none'}"
        self.phases.append((when, record["outcome"]))
        if when == "teardown":
            self.current = None
        return None

    def _tamper(self, record: dict) -> str | None:
        nodeid = record["nodeid"]
        if nodeid is not None and nodeid not in self.started and not self._selected(nodeid):
            return f"a tamper line for {one_line(nodeid, 120)}, which is not in this run"
        return None

    def _finished(self, record: dict) -> str | None:
        self.finished = True
        return None
