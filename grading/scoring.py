"""One scoring model: per-test results plus the manifest's points become a Report; every format reads it.

An exercise is worth its manifest points, split over its collected tests by their `points` marker weight
(default 1). A passed test earns its share. A skipped test (no GPU, an optional extra not installed) counts
toward neither score nor max_score, and the report says how many were left out and why.
"""

from __future__ import annotations

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

    @property
    def score(self) -> float:
        return round(sum(exercise.score for exercise in self.exercises), 2)

    @property
    def max_score(self) -> float:
        return round(sum(exercise.max_score for exercise in self.exercises), 2)


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
) -> Report:
    """Points per test from the manifest; an exercise caught tampering scores 0, and "*" zeroes everything."""
    tampered = tampered or {}
    by_exercise: dict[str, list[dict]] = {exercise.id: [] for exercise in manifest}
    for record in collected.values():
        if record.get("exercise") in by_exercise:
            by_exercise[record["exercise"]].append(record)

    exercises, skip_reasons = [], Counter()
    for exercise in manifest:
        records = by_exercise[exercise.id]
        total_weight = sum(record["weight"] for record in records) or 1.0
        tests = []
        for record in records:
            result = results.get(record["nodeid"]) or TestResult(record["nodeid"], "error", "no result was reported")
            cheat = tampered.get(exercise.id) or tampered.get("*")
            if cheat and result.status == "passed":
                result = TestResult(result.nodeid, "failed", f"tampering detected: {cheat}; scored 0 for review")
            share = round(exercise.points * record["weight"] / total_weight, 4)
            counted = result.status != "skipped"
            if not counted:
                skip_reasons[result.message or "skipped"] += 1
            tests.append(TestOutcome(
                nodeid=record["nodeid"],
                name=test_name(record["nodeid"]),
                status=result.status,
                message=f"missing: {exercise.relpath} is not in the submission" if exercise.id in missing
                else result.message,
                output=result.output,
                hidden=record["hidden"],
                score=share if result.status == "passed" else 0.0,
                max_score=share if counted else 0.0,
                duration=result.duration,
            ))
        exercises.append(ExerciseScore(
            id=exercise.id,
            title=exercise.title,
            score=round(sum(test.score for test in tests), 2),
            max_score=round(sum(test.max_score for test in tests), 2),
            tests=tests,
            missing=exercise.id in missing,
        ))

    notes = [f"{count} test(s) skipped and not counted in max_score: {reason}"
             for reason, count in sorted(skip_reasons.items())]
    flags = [f"tampered: {'the whole submission' if where == '*' else where}: {what} (scored 0 for review)"
             for where, what in sorted(tampered.items())]
    return Report(submission=submission, exercises=exercises, notes=notes, flags=flags)
