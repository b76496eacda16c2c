"""Views of a scoring.Report. Each format is one function from the report to text; none computes a score."""

from __future__ import annotations

import json

from grading.scoring import Report


def _points(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def text(report: Report) -> str:
    lines = [f"torch-kata grade: {report.submission}", "",
             f"{'exercise':<44} {'tests':>9} {'points':>13}", "-" * 68]
    for exercise in report.exercises:
        tests = "missing" if exercise.missing else f"{exercise.passed}/{exercise.counted}"
        points = f"{_points(exercise.score)}/{_points(exercise.max_score)}"
        lines.append(f"{exercise.id:<44} {tests:>9} {points:>13}")
    lines.append("-" * 68)
    percent = 100 * report.score / report.max_score if report.max_score else 0.0
    lines.append(f"{'total':<44} {'':>9} {_points(report.score) + '/' + _points(report.max_score):>13}"
                 f"  {percent:.0f}%")
    lines += [""] + [f"note: {note}" for note in report.notes] + [f"flag: {flag}" for flag in report.flags]
    return "\n".join(lines).rstrip() + "\n"


def as_dict(report: Report) -> dict:
    return {
        "submission": report.submission,
        "score": report.score,
        "max_score": report.max_score,
        "execution_time": round(report.execution_time, 2),
        "notes": report.notes,
        "flags": report.flags,
        "exercises": [
            {
                "id": exercise.id,
                "title": exercise.title,
                "score": exercise.score,
                "max_score": exercise.max_score,
                "missing": exercise.missing,
                "tests": [
                    {"name": test.nodeid, "status": test.status, "message": test.message,
                     "hidden": test.hidden, "score": test.score, "max_score": test.max_score}
                    for test in exercise.tests
                ],
            }
            for exercise in report.exercises
        ],
    }


def json_format(report: Report) -> str:
    return json.dumps(as_dict(report), indent=2) + "\n"


FORMATS = {"text": text, "json": json_format}
