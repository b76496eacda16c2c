"""Views of a scoring.Report. Each format is one function from the report to text; none computes a score.

Student-facing formats (gradescope, exercism, github) never show a hidden test's code or assertion message:
only its exercise and its name, which says what kind of case it covers.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from xml.etree import ElementTree

from grading.scoring import ExerciseScore, Report, TestOutcome

OUTPUT_LIMIT = 4_000  # per test in gradescope; exercism's own limit is 500


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    notice = f"\n[... truncated {len(text) - limit} characters]"
    return text[:max(0, limit - len(notice))] + notice


def describe_case(test: TestOutcome) -> str:
    """`test_accuracy_is_weighted[10-3]` -> `accuracy is weighted (10-3)`: the kind of case, nothing more."""
    name, _, params = test.name.partition("[")
    words = re.sub(r"^test_", "", name).replace("_", " ")
    return f"{words} ({params.rstrip(']')})" if params else words


def feedback(exercise: ExerciseScore, test: TestOutcome) -> str:
    """What a student may read about a test's result."""
    if test.status == "passed":
        return ""
    if test.hidden:
        return f"A hidden test of {exercise.id} failed; the case it covers: {describe_case(test)}."
    return test.message


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


def gradescope(report: Report) -> str:
    """results.json of Gradescope's autograder specification; hidden tests show after publishing."""
    tests = []
    for number, (exercise, test) in enumerate(_counted(report), start=1):
        tests.append({
            "name": f"{exercise.id}: {describe_case(test) if test.hidden else test.name}",
            "number": str(number),
            "score": test.score,
            "max_score": test.max_score,
            "status": "passed" if test.status == "passed" else "failed",
            "output": truncate(feedback(exercise, test), OUTPUT_LIMIT),
            "visibility": "after_published" if test.hidden else "visible",
            "tags": [exercise.id],
        })
    return json.dumps({
        "score": report.score,
        "execution_time": round(report.execution_time, 2),
        "output": truncate(text(report), OUTPUT_LIMIT),
        "visibility": "visible",
        "tests": tests,
    }, indent=2) + "\n"


def _counted(report: Report):
    for exercise in report.exercises:
        for test in exercise.tests:
            if test.status != "skipped":
                yield exercise, test


EXERCISM_STATUS = {"passed": "pass", "failed": "fail", "error": "error"}


def exercism(report: Report) -> str:
    """The v3 results.json of Exercism's test-runner interface; task_id is the exercise's position."""
    tests = []
    for task_id, exercise in enumerate(report.exercises, start=1):
        for test in exercise.tests:
            if test.status == "skipped":
                continue
            entry = {"name": f"{exercise.id}: {describe_case(test) if test.hidden else test.name}",
                     "status": EXERCISM_STATUS[test.status], "task_id": task_id}
            if test.status != "passed":
                entry["message"] = feedback(exercise, test)
            if test.output and not test.hidden:
                entry["output"] = truncate(test.output, 500)
            tests.append(entry)
    statuses = {test["status"] for test in tests}
    status = "pass" if statuses <= {"pass"} and tests else "error" if statuses == {"error"} else "fail"
    result = {"version": 3, "status": status, "tests": tests}
    if status == "error":
        result["message"] = tests[0]["message"] if tests else "no test ran"
    return json.dumps(result, indent=2) + "\n"


def github(report: Report) -> str:
    """What GitHub Classroom's autograding reporter decodes from `<RUNNER>_RESULTS` (base64 of this JSON)."""
    tests = [
        {"name": f"{exercise.id}: {test.name}", "status": "pass" if test.status == "passed" else "fail",
         "score": test.score, "message": feedback(exercise, test), "line_no": 0,
         "execution_time": f"{test.duration:.2f}s", "filename": f"exercises/{exercise.id}.py", "test_code": ""}
        for exercise, test in _counted(report)
    ]
    status = "pass" if all(test["status"] == "pass" for test in tests) else "fail"
    return json.dumps({"version": 1, "status": status, "max_score": report.max_score, "tests": tests}) + "\n"


def github_base64(report: Report) -> str:
    return base64.b64encode(github(report).encode()).decode() + "\n"


def junit(report: Report) -> str:
    """JUnit XML: one testsuite per exercise, one testcase per test."""
    suites = ElementTree.Element("testsuites", name="torch-kata", tests=str(sum(len(e.tests) for e in report.exercises)))
    for exercise in report.exercises:
        counts = {status: sum(t.status == status for t in exercise.tests) for status in ("failed", "error", "skipped")}
        suite = ElementTree.SubElement(
            suites, "testsuite", name=exercise.id, tests=str(len(exercise.tests)), failures=str(counts["failed"]),
            errors=str(counts["error"]), skipped=str(counts["skipped"]),
            time=f"{sum(t.duration for t in exercise.tests):.3f}")
        for test in exercise.tests:
            case = ElementTree.SubElement(suite, "testcase", classname=exercise.id, name=test.name,
                                          time=f"{test.duration:.3f}")
            if test.status in ("failed", "error"):
                tag = "failure" if test.status == "failed" else "error"
                ElementTree.SubElement(case, tag, message=test.message[:500]).text = truncate(test.output, OUTPUT_LIMIT)
            elif test.status == "skipped":
                ElementTree.SubElement(case, "skipped", message=test.message)
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"


def flags(report: Report) -> list[str]:
    """What an instructor should look at: missing files, timeouts, crashes, anything the run flagged."""
    found = [f"missing {e.id}" for e in report.exercises if e.missing]
    for exercise in report.exercises:
        for test in exercise.tests:
            if "timed out" in test.message:
                found.append(f"timeout {exercise.id}")
            elif "crashed" in test.message or "exited early" in test.message:
                found.append(f"crash {exercise.id}")
    return list(dict.fromkeys(found + report.flags))


def csv_header(report: Report) -> list[str]:
    return ["student", "score", "max_score"] + [e.id for e in report.exercises] + ["flags"]


def csv_row(report: Report, student: str) -> list[str]:
    return ([student, f"{report.score:g}", f"{report.max_score:g}"] + [f"{e.score:g}" for e in report.exercises]
            + ["; ".join(flags(report))])


def csv_format(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(csv_header(report))
    writer.writerow(csv_row(report, report.submission))
    return out.getvalue()


def batch(reports: list[Report], students: list[str], name: str) -> str:
    """Several submissions in one output: a gradebook for csv, a list for json, one section each otherwise."""
    if name == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(csv_header(reports[0]) if reports else ["student", "score", "max_score", "flags"])
        for report, student in zip(reports, students):
            writer.writerow(csv_row(report, student))
        return out.getvalue()
    if name == "json":
        return json.dumps([{"student": s, **as_dict(r)} for r, s in zip(reports, students)], indent=2) + "\n"
    return "\n".join(FORMATS[name](report) for report in reports)


FORMATS = {"text": text, "json": json_format, "gradescope": gradescope, "exercism": exercism, "github": github,
           "junit": junit, "csv": csv_format}
