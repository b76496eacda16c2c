"""One scoring model: per-test results plus the manifest's points become a Report; every format reads it.

An exercise is worth its manifest points on every machine: they are split over the tests that ran, by their
`points` marker weight (default 1). A passed test earns its share. A skipped test (no GPU, an optional extra not
installed) counts toward neither score nor max_score, and the report says how many were not run and why; an
exercise none of whose tests could run is worth nothing here, and the report says so.

Shares are whole multiples of 1/64 of a point, split by largest remainder: exact in binary floating point, so
per-test scores add up exactly to each exercise's score and those to the total, in every format and in every
reader (GitHub Classroom's reporter adds them up in JavaScript).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from grading.manifest import Manifest
from grading.runner import TestResult


@dataclass
class TestOutcome:
    __test__ = False  # a record, not a pytest test class

    nodeid: str
    name: str
    status: str  # passed | failed | error | skipped
    message: str
    output: str
    hidden: bool
    score: float
    max_score: float
    duration: float
    printed: str = ""  # what the test printed: Exercism shows this, never a traceback


@dataclass
class ExerciseScore:
    id: str
    title: str
    score: float
    max_score: float
    tests: list[TestOutcome]
    missing: bool = False

    @property
    def passed(self) -> int:
        return sum(test.status == "passed" for test in self.tests)

    @property
    def counted(self) -> int:
        return sum(test.status != "skipped" for test in self.tests)


@dataclass
class Report:
    submission: str
    exercises: list[ExerciseScore]
    notes: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    execution_time: float = 0.0
    finished_at: float = 0.0  # wall-clock time (time.time()) when grading ended

    @property
    def score(self) -> float:
        return sum(exercise.score for exercise in self.exercises)

    @property
    def max_score(self) -> float:
        return sum(exercise.max_score for exercise in self.exercises)


QUANTUM = 64  # shares are multiples of 1/QUANTUM points: a power of two, so sums of them are exact


def shares(points: float, weights: list[float]) -> list[float]:
    """`points` split in proportion to `weights`, in multiples of 1/QUANTUM that add up to exactly `points`."""
    if not weights:
        return []
    units = round(points * QUANTUM)
    total = sum(weights)
    exact = [units * weight / total for weight in weights]
    given = [math.floor(value) for value in exact]
    # the units lost to flooring go to the largest remainders; ties to the earlier test, so the split is stable
    by_remainder = sorted(range(len(exact)), key=lambda i: (given[i] - exact[i], i))
    for i in by_remainder[:units - sum(given)]:
        given[i] += 1
    return [unit / QUANTUM for unit in given]


_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")  # `<object at 0x7f3a...>`: differs between two runs of one submission


def deterministic(text: str) -> str:
    """A message or output without memory addresses, so grading one submission twice says the same thing."""
    return _ADDRESS.sub("0x…", text)


def test_name(nodeid: str) -> str:
    """`tests/hidden/03_modules/test_x.py::test_y[cpu]` -> `test_y[cpu]`."""
    return nodeid.split("::", 1)[-1]


def score(
    manifest: Manifest,
    collected: dict[str, dict],
    results: dict[str, TestResult],
    missing: set[str] = frozenset(),
    submission: str = "",
    tampered: dict[str, str] | None = None,
    held: dict[str, str] | None = None,
) -> Report:
    """Points per test from the manifest; an exercise caught tampering scores 0, and "*" zeroes everything.

    `held`: exercise id -> what grading.scan found in its file; it scores 0 until an instructor has looked.
    """
    tampered, held = tampered or {}, held or {}
    by_exercise: dict[str, list[dict]] = {exercise.id: [] for exercise in manifest}
    for record in collected.values():
        if record.get("exercise") in by_exercise:
            by_exercise[record["exercise"]].append(record)

    exercises, skip_reasons, not_gradable = [], Counter(), []
    for exercise in manifest:
        records = by_exercise[exercise.id]
        outcomes = []
        for record in records:
            result = results.get(record["nodeid"]) or TestResult(record["nodeid"], "error", "no result was reported")
            cheat = tampered.get(exercise.id) or tampered.get("*")
            if cheat and result.status == "passed":
                result = TestResult(result.nodeid, "failed", f"tampering detected: {cheat}; scored 0 for review")
            elif exercise.id in held and result.status == "passed":
                result = TestResult(result.nodeid, "failed", f"held for review: {held[exercise.id]}; scored 0 until "
                                                             "an instructor has looked", result.output, result.duration)
            if result.status == "skipped":
                skip_reasons[result.message or "skipped"] += 1
            outcomes.append((record, result))
        ran = [(record, result) for record, result in outcomes if result.status != "skipped"]
        if records and not ran and exercise.id not in missing:
            not_gradable.append(exercise.id)
        share_of = dict(zip((record["nodeid"] for record, _ in ran),
                            shares(exercise.points, [record["weight"] for record, _ in ran])))
        tests = []
        for record, result in outcomes:
            share = share_of.get(record["nodeid"], 0.0)
            tests.append(TestOutcome(
                nodeid=record["nodeid"],
                name=test_name(record["nodeid"]),
                status=result.status,
                message=f"missing: {exercise.relpath} is not in the submission" if exercise.id in missing
                else deterministic(result.message),
                output=deterministic(result.output),
                hidden=record["hidden"],
                score=share if result.status == "passed" else 0.0,
                max_score=share,
                duration=result.duration,
                printed=deterministic(result.printed),
            ))
        exercises.append(ExerciseScore(
            id=exercise.id,
            title=exercise.title,
            score=sum(test.score for test in tests),
            max_score=sum(test.max_score for test in tests),
            tests=tests,
            missing=exercise.id in missing,
        ))

    notes = [f"{count} test(s) not run ({reason}): each exercise's points are spread over its tests that ran"
             for reason, count in sorted(skip_reasons.items())]
    if not_gradable:
        notes.append(f"not gradable on this machine (none of their tests could run), so not counted: "
                     f"{', '.join(not_gradable)}")
    flags = [f"tampered: {'the whole submission' if where == '*' else where}: {what} (scored 0 for review)"
             for where, what in sorted(tampered.items())]
    flags += [f"held for review: {exercise}: {what} (scored 0 until an instructor has looked)"
              for exercise, what in sorted(held.items())]
    return Report(submission=submission, exercises=exercises, notes=notes, flags=flags)
