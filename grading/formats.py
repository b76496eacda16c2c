"""Views of a scoring.Report. Each format is one function from the report to text; none computes a score.

Student-facing formats (gradescope, exercism, github) never show a hidden test's code or assertion message:
only its exercise and its name, which says what kind of case it covers. Every other message they show is the
submission's to shape (an exception's text, what it printed), so each is capped at MESSAGE_LIMIT, the grader's
paths are replaced by `<pack>` and `<submission>`, and a message quoting a line of a hidden test is withheld.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import functools
import os
import re
import socket
import time
from xml.etree import ElementTree

from grading.manifest import PACK_ROOT
from grading.scoring import ExerciseScore, Report, TestOutcome

OUTPUT_LIMIT = 4_000  # per test in gradescope; exercism's own limit is 500
MESSAGE_LIMIT = 500  # any one message a student reads: enough for an assertion, too little to carry a file out
WITHHELD = "[message withheld: it quotes a hidden test]"
QUOTED_LINE = 24  # a hidden test's line at least this long, found in a message, means the message quotes it
# the copies a grading child runs: <tmp>/torch-kata-homes-*/job*/submission, <tmp>/torch-kata-grade-*/submission0
_COPY = re.compile(r"/[^\s'\"]*?torch-kata-(?:grade|homes|logs)-[^/\s'\"]+(?:/job[^/\s'\"]*)?(?:/submission\d*)?")


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    notice = f"\n[... truncated {len(text) - limit} characters]"
    return text[:max(0, limit - len(notice))] + notice


@functools.cache
def _hidden_lines() -> frozenset[str]:
    """Every line of the pack's hidden tests long enough to be telling (none in a student pack: no such folder)."""
    lines = set()
    for path in (PACK_ROOT / "tests" / "hidden").rglob("*.py"):
        lines.update(map(_bare, path.read_text(errors="replace").splitlines()))
    return frozenset(line for line in lines if len(line) >= QUOTED_LINE)


def _bare(line: str) -> str:
    """A line without indentation or pytest's traceback markers (`>` before code, `E` before the error)."""
    return line.strip().lstrip("E>").strip()


def for_students(text: str, report: Report, limit: int = MESSAGE_LIMIT) -> str:
    """A message as a student may read it: no line of a hidden test, no grader path, at most `limit` characters."""
    hidden = _hidden_lines()
    if any(_bare(line) in hidden for line in text.splitlines()):
        return WITHHELD
    if os.path.isabs(report.submission) and len(report.submission) > 1:  # a relative name could be any word
        text = text.replace(report.submission, "<submission>")
    text = _COPY.sub("<submission>", text.replace(str(PACK_ROOT), "<pack>"))
    return truncate(text, limit)


def describe_case(test: TestOutcome) -> str:
    return describe_test_name(test.name)


def describe_test_name(name: str) -> str:
    """`test_accuracy_is_weighted[10-3]` -> `accuracy is weighted (10-3)`: the kind of case, nothing more."""
    function, _, params = name.partition("[")
    words = function.removeprefix("test_").replace("_", " ")
    return f"{words} ({params.rstrip(']')})" if params else words


def feedback(exercise: ExerciseScore, test: TestOutcome, report: Report) -> str:
    """What a student may read about a test's result."""
    if test.status == "passed":
        return ""
    if test.hidden:
        return f"A hidden test of {exercise.id} failed; the case it covers: {describe_case(test)}."
    return for_students(test.message, report)


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
    lines += failing_tests(report)
    lines += [""] + [f"note: {note}" for note in report.notes] + [f"flag: {flag}" for flag in report.flags]
    return "\n".join(lines).rstrip() + "\n"


FAILURE_LINE = 110  # one line of likely cause per failing test


def failing_tests(report: Report) -> list[str]:
    """Each failing test of an attempted exercise with its one-line likely cause: a hidden one by the kind of
    case it covers, never its message (a missing exercise is already one line of the table)."""
    lines = []
    for exercise in report.exercises:
        failing = [test for test in exercise.tests if test.status in ("failed", "error")]
        if exercise.missing or not failing:
            continue
        lines += ["", f"{exercise.id}:"]
        for test in failing:
            if test.hidden:
                lines.append(f"  ✗ hidden case: {describe_case(test)}")
                continue
            cause = next((line.strip() for line in test.message.splitlines() if line.strip()), test.status)
            lines.append(f"  ✗ {test.name}: {truncate(cause, FAILURE_LINE)}")
    return [""] + ["failing tests (hidden ones by the kind of case they cover):"] + lines if lines else []


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


def student_summary(report: Report, limit: int = OUTPUT_LIMIT) -> str:
    """What every student may read at once (Gradescope's always-visible output): visible tests only, no points
    (they include hidden tests' results), whole lines up to `limit` characters, the end always kept."""
    visible = [(exercise, [t for t in exercise.tests if not t.hidden and t.status != "skipped"])
               for exercise in report.exercises]
    passed = sum(t.status == "passed" for _, tests in visible for t in tests)
    total = sum(len(tests) for _, tests in visible)
    hidden = sum(t.hidden and t.status != "skipped" for e in report.exercises for t in e.tests)
    head = [f"torch-kata: {passed}/{total} visible tests passed."]
    if hidden:
        head.append(f"{hidden} hidden tests are graded too: their results show when your instructor publishes them.")
    body = [f"  {exercise.id}: " + ("missing" if exercise.missing else
                                    f"{sum(t.status == 'passed' for t in tests)}/{len(tests)} visible tests passed")
            for exercise, tests in visible
            if exercise.missing or any(t.status != "passed" for t in tests)]
    if body:
        body.insert(0, "Not done yet:")
    tail = [f"flag: {for_students(flag, report)}" for flag in report.flags]
    room = limit - sum(len(line) + 1 for line in head + tail) - 40
    kept = []
    for line in body:
        if room - len(line) - 1 < 0:
            kept.append(f"  ... and {len(body) - len(kept)} more")
            break
        kept.append(line)
        room -= len(line) + 1
    return "\n".join(head + kept + tail) + "\n"


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
            "output": feedback(exercise, test, report),
            "visibility": "after_published" if test.hidden else "visible",
            "tags": [exercise.id],
        })
    return json.dumps({
        "score": report.score,
        "execution_time": round(report.execution_time, 2),
        "output": student_summary(report),
        "visibility": "visible",
        "tests": tests,
    }, indent=2) + "\n"


def _counted(report: Report):
    for exercise in report.exercises:
        for test in exercise.tests:
            if test.status != "skipped":
                yield exercise, test


EXERCISM_STATUS = {"passed": "pass", "failed": "fail", "error": "error"}
EXERCISM_OUTPUT_LIMIT = 500  # the interface's own limit on a test's output


@functools.cache
def _test_sources(relative: str) -> dict[str, str]:
    """Test function name -> its source, for one of the pack's test files (empty if it cannot be read)."""
    import ast

    try:
        source = (PACK_ROOT / relative).read_text()
        tree = ast.parse(source)
    except (OSError, SyntaxError, ValueError):
        return {}
    return {node.name: ast.get_source_segment(source, node) or "" for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def test_code(test: TestOutcome) -> str:
    """What Exercism shows as the test's code: a visible test's own source; for a hidden one, what it covers."""
    if test.hidden:
        return f"# a hidden test: {describe_case(test)}"
    function = test.name.split("[", 1)[0]
    return _test_sources(test.nodeid.split("::", 1)[0]).get(function, "")


def exercism(report: Report) -> str:
    """The v3 results.json of Exercism's test-runner interface. No task_id: the pack's exercises have no tasks."""
    tests = []
    for exercise in report.exercises:
        for test in exercise.tests:
            if test.status == "skipped":
                continue
            entry = {"name": f"{exercise.id}: {describe_case(test) if test.hidden else test.name}",
                     "test_code": test_code(test), "status": EXERCISM_STATUS[test.status]}
            if test.status != "passed":
                entry["message"] = feedback(exercise, test, report)
            if test.printed and not test.hidden:  # what the learner printed, never a traceback
                entry["output"] = for_students(test.printed, report, EXERCISM_OUTPUT_LIMIT)
            tests.append(entry)
    statuses = {test["status"] for test in tests}
    status = "pass" if statuses <= {"pass"} and tests else "error" if statuses == {"error"} else "fail"
    result = {"version": 3, "status": status, "tests": tests}
    if status == "error":
        result["message"] = tests[0]["message"] if tests else "no test ran"
    return json.dumps(result, indent=2) + "\n"


def github_runners(report: Report) -> dict[str, dict]:
    """GitHub Classroom's reporter results, one runner per exercise and share value.

    The reporter's table scores a runner as passed/total x max_score, blind to each test's score, while the grade
    it records adds the tests' scores: the two agree only when every test of a runner is worth the same. A
    runner per exercise (per share value, when the split left two) makes them agree exactly, and keeps each
    runner's base64 far below Linux's 128 KiB cap on one environment variable.
    """
    runners: dict[str, dict] = {}
    for exercise in report.exercises:
        counted = [test for test in exercise.tests if test.status != "skipped"]
        for share in sorted({test.max_score for test in counted}, reverse=True):
            name = "ch" + re.sub(r"[^a-z0-9]", "", exercise.id.lower())  # the reporter wants [a-zA-Z0-9]+
            name += "" if share == max(test.max_score for test in counted) else "b"
            tests = [
                {"name": f"{exercise.id}: {test.name}", "status": "pass" if test.status == "passed" else "fail",
                 "score": test.score, "message": feedback(exercise, test, report), "line_no": 0,
                 "execution_time": f"{test.duration:.2f}s", "filename": f"exercises/{exercise.id}.py",
                 "test_code": ""}
                for test in counted if test.max_score == share
            ]
            status = "pass" if all(test["status"] == "pass" for test in tests) else "fail"
            runners[name] = {"version": 1, "status": status, "max_score": share * len(tests), "tests": tests}
    return runners


def github(report: Report) -> str:
    """The reporter's environment: `<RUNNER>_RESULTS=<base64 of its JSON>` per runner, then `KATA_RUNNERS=a,b,...`
    for the reporter's `runners` input (the workflow appends this file to $GITHUB_ENV)."""
    runners = github_runners(report)
    lines = [f"{name.upper()}_RESULTS={base64.b64encode(json.dumps(result).encode()).decode()}"
             for name, result in runners.items()]
    return "\n".join(lines + [f"KATA_RUNNERS={','.join(runners)}"]) + "\n"


def _junit_suites(parent: ElementTree.Element, report: Report, package: str, first_id: int) -> int:
    """One testsuite per exercise, in the Ant schema's shape (the strictest common reader); returns the next id."""
    timestamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(report.finished_at or time.time()))
    for number, exercise in enumerate(report.exercises, start=first_id):
        counts = {status: sum(t.status == status for t in exercise.tests) for status in ("failed", "error", "skipped")}
        suite = ElementTree.SubElement(
            parent, "testsuite", name=exercise.id, package=package, id=str(number), timestamp=timestamp,
            hostname=socket.gethostname() or "localhost", tests=str(len(exercise.tests)),
            failures=str(counts["failed"]), errors=str(counts["error"]), skipped=str(counts["skipped"]),
            time=f"{sum(t.duration for t in exercise.tests):.3f}")
        properties = ElementTree.SubElement(suite, "properties")
        for name, value in (("score", exercise.score), ("max_score", exercise.max_score)):
            ElementTree.SubElement(properties, "property", name=name, value=f"{value:.15g}")
        for test in exercise.tests:
            case = ElementTree.SubElement(suite, "testcase", classname=exercise.id, name=test.name,
                                          time=f"{test.duration:.3f}")
            if test.status in ("failed", "error"):
                tag = "failure" if test.status == "failed" else "error"
                ElementTree.SubElement(case, tag, message=test.message[:MESSAGE_LIMIT],
                                       type="AssertionError" if tag == "failure" else "Error"
                                       ).text = truncate(test.output, OUTPUT_LIMIT)
            elif test.status == "skipped":
                ElementTree.SubElement(case, "skipped", message=test.message)
        ElementTree.SubElement(suite, "system-out").text = ""
        ElementTree.SubElement(suite, "system-err").text = ""
    return first_id + len(report.exercises)


def _junit_document(suites: ElementTree.Element) -> str:
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"


def junit(report: Report) -> str:
    """JUnit XML: one testsuite per exercise, one testcase per test; points as the suite's properties."""
    suites = ElementTree.Element("testsuites")
    _junit_suites(suites, report, package="torch-kata", first_id=0)
    return _junit_document(suites)


def flags(report: Report) -> list[str]:
    """What an instructor should look at: missing files, timeouts, crashes, anything the run flagged."""
    found = [f"missing {e.id}" for e in report.exercises if e.missing]
    for exercise in report.exercises:
        for test in exercise.tests:
            if "timed out" in test.message or "Timeout (>" in test.message:  # the grader's kill, pytest-timeout's
                found.append(f"timeout {exercise.id}")
            elif any(sign in test.message for sign in ("does not parse", "SyntaxError", "IndentationError")):
                found.append(f"syntax error {exercise.id}")
            elif "crashed" in test.message or "exited early" in test.message:
                found.append(f"crash {exercise.id}")
    return list(dict.fromkeys(found + report.flags))


def csv_header(report: Report) -> list[str]:
    return (["student", "score", "max_score", "percent"] + [f"{e.id} (of {e.max_score:.15g})" for e in report.exercises]
            + ["flags"])


def csv_row(report: Report, student: str) -> list[str]:
    percent = 100 * report.score / report.max_score if report.max_score else 0.0
    return ([student, f"{report.score:.15g}", f"{report.max_score:.15g}", f"{percent:.1f}"]
            + [f"{e.score:.15g}" for e in report.exercises] + ["; ".join(flags(report))])


def csv_format(report: Report) -> str:
    return batch([report], [report.submission], "csv")


def batch(reports: list[Report], students: list[str], name: str) -> str:
    """Several submissions in one valid document of the format: a gradebook for csv, one JUnit document with a
    package per student, a JSON object keyed by student for the JSON formats, one section each for text."""
    if name == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(csv_header(reports[0]) if reports else ["student", "score", "max_score", "percent", "flags"])
        for report, student in zip(reports, students):
            writer.writerow(csv_row(report, student))
        return out.getvalue()
    if name == "json":
        return json.dumps([{"student": s, **as_dict(r)} for r, s in zip(reports, students)], indent=2) + "\n"
    if name == "junit":
        suites, next_id = ElementTree.Element("testsuites"), 0
        for report, student in zip(reports, students):
            next_id = _junit_suites(suites, report, package=student, first_id=next_id)
        return _junit_document(suites)
    if name == "github":  # Classroom grades one repository at a time: each student's runners, as JSON
        return json.dumps({s: github_runners(r) for r, s in zip(reports, students)}, indent=2) + "\n"
    if name in ("gradescope", "exercism"):
        return json.dumps({s: json.loads(FORMATS[name](r)) for r, s in zip(reports, students)}, indent=2) + "\n"
    return "\n".join(FORMATS[name](report) for report in reports)


FORMATS = {"text": text, "json": json_format, "gradescope": gradescope, "exercism": exercism, "github": github,
           "junit": junit, "csv": csv_format}
