"""Grading a large class on many machines: a deterministic split of the submissions, and a merge of the parts.

GitHub Actions matrices, Kubernetes Indexed Jobs and Slurm job arrays all hand each worker an index K of N.
`grade ROOT --batch --shard K/N` grades the students whose folder name hashes to part K (so a student always
lands in the same part for a given N, whoever else is in the class) and writes a shard report: every student's
whole Report, as JSON. `merge` checks that the parts are exactly 1..N of one split, each student once, and gives
the gradebook a single `--batch` run over ROOT gives.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

from grading.scoring import ExerciseScore, Report, TestOutcome

SHARD_FORMAT = "torch-kata-shard/1"


class ShardError(ValueError):
    """Shard reports that do not make one whole class: missing, repeated or from different splits."""


def parse(text: str) -> tuple[int, int]:
    """"2/5" -> (2, 5): part K of N, counted from 1."""
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise ShardError(f"--shard takes K/N (e.g. 2/5), not {text!r}") from None
    if not 1 <= k <= n:
        raise ShardError(f"--shard {text}: K must be between 1 and N")
    return k, n


def part_of(student: str, count: int) -> int:
    """The part (1..count) a student's folder belongs to: a hash of its name, the same on every machine."""
    digest = hashlib.sha256(student.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def shard_report(reports: list[Report], students: list[str], k: int, n: int) -> str:
    return json.dumps({"format": SHARD_FORMAT, "shard": k, "of": n, "students": students,
                       "reports": [dataclasses.asdict(report) for report in reports]}, indent=1) + "\n"


def _report(data: dict) -> Report:
    exercises = [ExerciseScore(**{**exercise, "tests": [TestOutcome(**test) for test in exercise["tests"]]})
                 for exercise in data["exercises"]]
    return Report(**{**data, "exercises": exercises})


def merge(texts: list[tuple[str, str]]) -> tuple[list[Report], list[str]]:
    """Shard reports ((name, text) pairs) -> every student's report, in the order a `--batch` run gives."""
    parts: dict[int, str] = {}
    counts, students = set(), {}
    for name, text in texts:
        try:
            data = json.loads(text)
        except ValueError:
            raise ShardError(f"{name} is not a shard report (not JSON)") from None
        if not isinstance(data, dict) or data.get("format") != SHARD_FORMAT:
            raise ShardError(f"{name} is not a shard report ({SHARD_FORMAT})")
        k, n = data["shard"], data["of"]
        counts.add(n)
        if k in parts:
            raise ShardError(f"part {k}/{n} given twice: {parts[k]} and {name}")
        parts[k] = name
        for student, report in zip(data["students"], data["reports"]):
            if student in students:
                raise ShardError(f"{student} is in two shard reports: {students[student][0]} and {name}")
            students[student] = (name, _report(report))
    if len(counts) != 1:
        raise ShardError(f"shard reports from different splits: N = {', '.join(map(str, sorted(counts)))}")
    n = counts.pop()
    missing = [f"{k}/{n}" for k in range(1, n + 1) if k not in parts]
    if missing:
        raise ShardError(f"missing shard report(s): {', '.join(missing)} (a worker failed or its report was lost)")
    names = sorted(students)
    return [students[name][1] for name in names], names
