"""Every report format is a view of one scoring model, and each matches its published field list.

The schemas below are written from each platform's specification (no network at test time):
- Gradescope autograder results.json: top-level score, execution_time, output, visibility, tests[] of name,
  number, score, max_score, status (passed|failed), output, visibility (hidden|after_due_date|after_published|
  visible);
- Exercism test-runner interface, version 3: version, status (pass|fail|error), message when status is error,
  tests[] of name, status, message (on fail/error), output (at most 500 characters), task_id (integer);
- GitHub Classroom autograding reporter: version, status, max_score, tests[] of name, status, score, message;
  its table and recorded grade computed as its source computes them.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
import xmlschema

from grading import formats
from grading.manifest import Exercise, Manifest
from grading.runner import TestResult
from grading.scoring import score, shares

MANIFEST = Manifest([Exercise("01_tensors/a", "A", 1, 10.0), Exercise("02_autograd/b", "B", 2, 20.0)])
SECRET = "expected 42.0 from the hidden reference"


def collected(nodeid, exercise, hidden=False, cuda=False, weight=1.0):
    return {"nodeid": nodeid, "exercise": exercise, "hidden": hidden, "cuda": cuda, "slow": False,
            "weight": weight, "skip": None}


@pytest.fixture
def report():
    records = [
        collected("tests/01_tensors/test_a.py::test_shape", "01_tensors/a"),
        collected("tests/01_tensors/test_a.py::test_values[cuda]", "01_tensors/a", cuda=True),
        collected("tests/hidden/01_tensors/test_a.py::test_random_shapes[3-5]", "01_tensors/a", hidden=True),
        collected("tests/02_autograd/test_b.py::test_grad", "02_autograd/b", weight=3.0),
        collected("tests/hidden/02_autograd/test_b.py::test_edge", "02_autograd/b", hidden=True),
    ]
    results = {
        records[0]["nodeid"]: TestResult(records[0]["nodeid"], "passed", output="x" * 2000),
        records[1]["nodeid"]: TestResult(records[1]["nodeid"], "skipped", "CUDA not available"),
        records[2]["nodeid"]: TestResult(records[2]["nodeid"], "failed", SECRET, "def test_random_shapes(): ..."),
        records[3]["nodeid"]: TestResult(records[3]["nodeid"], "passed"),
        records[4]["nodeid"]: TestResult(records[4]["nodeid"], "error", "timed out after 70 s (killed by the grader)"),
    }
    return score(MANIFEST, {r["nodeid"]: r for r in records}, results, submission="alice")


def test_an_exercise_is_worth_its_points_over_the_tests_that_ran(report):
    a, b = report.exercises
    assert (a.score, a.max_score) == (5.0, 10.0)  # the skipped cuda test's share went to the two that ran
    assert (b.score, b.max_score) == (15.0, 20.0)
    assert (report.score, report.max_score) == (20.0, 30.0)
    assert any("1 test(s) not run (CUDA not available)" in note for note in report.notes)


def test_shares_add_up_exactly_in_floating_point():
    for points in (10, 20, 30, 14.5, 7):
        for n in range(1, 40):
            split = shares(points, [1.0] * n)
            assert sum(split) == points and max(split) - min(split) <= 1 / 64, (points, n, split)
            assert all(share * 64 == int(share * 64) for share in split)
    assert shares(20, [1.0, 3.0]) == [5.0, 15.0]


def test_an_exercise_with_no_test_that_could_run_is_named():
    record = collected("tests/10_gpu/test_c.py::test_on_gpu[cuda]", "01_tensors/a", cuda=True)
    report = score(MANIFEST, {record["nodeid"]: record},
                   {record["nodeid"]: TestResult(record["nodeid"], "skipped", "CUDA not available")})
    assert report.exercises[0].max_score == 0
    assert any("not gradable on this machine" in note and "01_tensors/a" in note for note in report.notes)


def check_fields(data: dict, required: dict[str, type | tuple]) -> None:
    for key, kind in required.items():
        assert key in data, f"missing field {key!r} in {sorted(data)}"
        assert isinstance(data[key], kind), f"{key!r} is {type(data[key]).__name__}, expected {kind}"


def test_json_is_the_documented_shape(report):
    data = json.loads(formats.json_format(report))
    check_fields(data, {"score": (int, float), "max_score": (int, float), "exercises": list})
    for exercise in data["exercises"]:
        check_fields(exercise, {"id": str, "score": (int, float), "max_score": (int, float), "tests": list})
        for test in exercise["tests"]:
            check_fields(test, {"name": str, "status": str, "message": str})
            assert test["status"] in ("passed", "failed", "error", "skipped")


def test_gradescope_results_json(report):
    data = json.loads(formats.gradescope(report))
    check_fields(data, {"score": (int, float), "execution_time": (int, float), "output": str, "tests": list})
    assert data["score"] == report.score
    for test in data["tests"]:
        check_fields(test, {"name": str, "number": str, "score": (int, float), "max_score": (int, float),
                            "status": str, "output": str, "visibility": str})
        assert test["status"] in ("passed", "failed")
        assert test["visibility"] in ("hidden", "after_due_date", "after_published", "visible")
    visibilities = {t["name"]: t["visibility"] for t in data["tests"]}
    assert visibilities["02_autograd/b: edge"] == "after_published"
    assert visibilities["01_tensors/a: test_shape"] == "visible"
    assert len(data["tests"]) == 4, "the skipped cuda test is not a gradable test"
    assert SECRET not in formats.gradescope(report), "a hidden test's assertion message leaked"


def test_exercism_v3_results_json(report):
    data = json.loads(formats.exercism(report))
    check_fields(data, {"version": int, "status": str, "tests": list})
    assert data["version"] == 3 and data["status"] == "fail"
    for test in data["tests"]:
        check_fields(test, {"name": str, "status": str, "test_code": str})
        assert test["status"] in ("pass", "fail", "error") and "task_id" not in test
        assert len(test.get("output", "")) <= 500
        if test["status"] != "pass":
            assert test["message"]
    assert SECRET not in json.dumps(data)
    hidden = [test for test in data["tests"] if "random shapes" in test["name"]]
    assert hidden and hidden[0]["test_code"].startswith("# a hidden test")


def test_exercism_shows_a_visible_tests_code_and_what_it_printed_not_the_traceback():
    nodeid = "tests/01_tensors/test_broadcasting.py::" + next(
        name for name in formats._test_sources("tests/01_tensors/test_broadcasting.py") if name.startswith("test_"))
    record = collected(nodeid, "01_tensors/a")
    results = {nodeid: TestResult(nodeid, "failed", "assert False", "Traceback (most recent call last): ...", 0.1,
                                  "hello from my code\n")}
    data = json.loads(formats.exercism(score(MANIFEST, {nodeid: record}, results)))
    test = data["tests"][0]
    assert test["test_code"].startswith("def test_"), test["test_code"]
    assert test["output"] == "hello from my code\n"


def github_environment(report) -> dict[str, str]:
    return dict(line.split("=", 1) for line in formats.github(report).splitlines())


def test_github_classroom_reporter_payload(report):
    environment = github_environment(report)
    runners = environment.pop("KATA_RUNNERS").split(",")
    assert sorted(f"{name.upper()}_RESULTS" for name in runners) == sorted(environment)
    for name in runners:
        assert re.fullmatch(r"[a-zA-Z0-9]+", name), name  # the reporter refuses anything else
        assert len(environment[f"{name.upper()}_RESULTS"]) < 64 * 1024  # Linux caps one variable at 128 KiB
        data = json.loads(base64.b64decode(environment[f"{name.upper()}_RESULTS"]))
        check_fields(data, {"version": int, "status": str, "max_score": (int, float), "tests": list})
        assert len({test["score"] for test in data["tests"] if test["status"] == "pass"}) <= 1
        for test in data["tests"]:
            check_fields(test, {"name": str, "status": str, "score": (int, float), "message": str})
            assert test["status"] in ("pass", "fail", "error")
        assert SECRET not in json.dumps(data)


def classroom_reporter(environment: dict[str, str]) -> tuple[list[list], dict]:
    """GitHub Classroom's reporter (autograding-grading-reporter v1, src/) computing from the same environment:
    its console table (aggregate-results.js: a runner scores passed/total x max_score) and the grade it records
    (notify-classroom.js: the tests' scores added up, over runners with a max_score). Floats, as in JavaScript."""
    table, total_points, max_points = [], 0.0, 0.0
    for runner in environment["KATA_RUNNERS"].split(","):
        results = json.loads(base64.b64decode(environment[f"{runner.strip().upper()}_RESULTS"]))
        passed = sum(test["status"] == "pass" for test in results["tests"])
        table.append([runner, passed / len(results["tests"]) * (results["max_score"] or 0), results["max_score"]])
        if results["max_score"]:
            max_points += results["max_score"]
            for test in results["tests"]:
                total_points += test["score"]
    return table, {"totalPoints": total_points, "maxPoints": max_points}


def test_github_classrooms_reporter_agrees_with_the_grader():
    records = [collected(f"tests/01_tensors/test_a.py::test_{i}", "01_tensors/a") for i in range(7)]
    records += [collected("tests/02_autograd/test_b.py::test_grad", "02_autograd/b", weight=3.0),
                collected("tests/02_autograd/test_b.py::test_other", "02_autograd/b")]
    results = {record["nodeid"]: TestResult(record["nodeid"], "passed" if i % 3 else "failed", "wrong")
               for i, record in enumerate(records)}
    report = score(MANIFEST, {record["nodeid"]: record for record in records}, results)
    table, recorded = classroom_reporter(github_environment(report))
    assert recorded == {"totalPoints": report.score, "maxPoints": report.max_score}, recorded
    assert sum(row[1] for row in table) == report.score and sum(row[2] for row in table) == report.max_score, table
    for exercise in report.exercises:
        rows = [row for row in table if row[0].startswith("ch" + exercise.id.replace("_", "").replace("/", ""))]
        assert sum(row[1] for row in rows) == exercise.score, (exercise.id, rows)


ANT_SCHEMA = Path(__file__).parent / "schemas" / "junit-ant.xsd"  # Ant's junitreport shape: the strictest reader


def check_ant_junit(document: str) -> ElementTree.Element:
    """Validated by a real XML schema validator against the Ant JUnit schema, then parsed."""
    xmlschema.XMLSchema(ANT_SCHEMA).validate(document)
    root = ElementTree.fromstring(document.split("\n", 1)[1])
    ids = [int(suite.get("id")) for suite in root.findall("testsuite")]
    assert ids == list(range(len(ids))), ids  # Ant numbers the suites from 0
    return root


def test_the_ant_schema_refuses_what_strict_readers_refuse(report):
    document = formats.junit(report)
    for broken in (document.replace("<testsuites>", '<testsuites name="torch-kata">'),  # no root attributes
                   document.replace(' type="Error"', "", 1),  # an error without its type
                   re.sub(r' hostname="[^"]*"', "", document, count=1)):
        with pytest.raises(xmlschema.XMLSchemaValidationError):
            xmlschema.XMLSchema(ANT_SCHEMA).validate(broken)


def test_junit_has_one_suite_per_exercise_in_the_ant_schemas_shape(report):
    root = check_ant_junit(formats.junit(report))
    suites = root.findall("testsuite")
    assert [suite.get("name") for suite in suites] == ["01_tensors/a", "02_autograd/b"]
    first = suites[0]
    assert (first.get("tests"), first.get("failures"), first.get("skipped")) == ("3", "1", "1")
    assert suites[1].find("testcase[@name='test_edge']/error") is not None
    points = {prop.get("name"): prop.get("value") for prop in first.find("properties")}
    assert points == {"score": "5", "max_score": "10"}


def test_a_batch_is_one_valid_document_per_format(report):
    students = ["alice", "bob"]
    root = check_ant_junit(formats.batch([report, report], students, "junit"))
    assert [suite.get("package") for suite in root.findall("testsuite")] == ["alice"] * 2 + ["bob"] * 2
    for name in ("gradescope", "exercism", "github", "json"):
        data = json.loads(formats.batch([report, report], students, name))
        assert len(data) == 2, name
    assert json.loads(formats.batch([report], ["alice"], "gradescope"))["alice"]["score"] == report.score


def test_csv_gradebook_row(report):
    rows = list(csv.reader(io.StringIO(formats.batch([report, report], ["alice", "bob"], "csv"))))
    assert rows[0] == ["student", "score", "max_score", "percent", "01_tensors/a (of 10)", "02_autograd/b (of 20)",
                       "flags"]
    assert rows[1][:4] == ["alice", "20", "30", "66.7"] and rows[2][0] == "bob"
    assert "timeout 02_autograd/b" in rows[1][-1]


def test_long_output_is_truncated_with_a_notice():
    text = formats.truncate("y" * 10_000, 500)
    assert len(text) <= 500 and "truncated" in text


STUDENT_FORMATS = {
    "gradescope": lambda data: [data["output"]] + [test["output"] for test in data["tests"]],
    "exercism": lambda data: [data.get("message", "")] + [test.get(key, "") for test in data["tests"]
                                                          for key in ("message", "output")],
}


def student_texts(report) -> dict[str, list[str]]:
    """Every message a student-facing format shows, by format."""
    texts = {name: read(json.loads(getattr(formats, name)(report))) for name, read in STUDENT_FORMATS.items()}
    texts["github"] = [test["message"] for runner in formats.github_runners(report).values()
                       for test in runner["tests"]]
    return texts


def long_report(message: str, output: str = "", flags: list[str] | None = None):
    records = [collected("tests/01_tensors/test_a.py::test_shape", "01_tensors/a"),
               collected("tests/hidden/01_tensors/test_a.py::test_edge", "01_tensors/a", hidden=True)]
    results = {records[0]["nodeid"]: TestResult(records[0]["nodeid"], "failed", message, output),
               records[1]["nodeid"]: TestResult(records[1]["nodeid"], "failed", SECRET, "hidden output " * 100)}
    report = score(MANIFEST, {r["nodeid"]: r for r in records}, results, submission="/home/alice/work")
    report.flags += flags or []
    return report


def test_student_messages_are_capped_and_name_no_grader_path():
    from grading.manifest import PACK_ROOT

    copy = "/tmp/torch-kata-homes-x1/job7-ab/submission/01_tensors/a.py"
    message = f"AssertionError: see {PACK_ROOT}/tests/helpers.py and {copy} and /home/alice/work/a.py " + "x" * 13_000
    report = long_report(message, output=message, flags=[f"collection error in {PACK_ROOT}/tests/x.py: " + "y" * 9_000])
    for name, texts in student_texts(report).items():
        for text in texts[1:] if name == "gradescope" else texts:  # gradescope's summary is one text per line
            assert len(text) <= formats.MESSAGE_LIMIT, (name, len(text))
        joined = "\n".join(texts)
        assert str(PACK_ROOT) not in joined and "torch-kata-homes" not in joined and "/home/alice" not in joined, name
        assert "<pack>/tests/helpers.py" in joined and "<submission>/01_tensors/a.py" in joined, name
        assert "truncated" in joined, name
        assert SECRET not in joined and "hidden output" not in joined, f"{name}: a hidden test's message or output leaked"
    summary = json.loads(formats.gradescope(report))["output"]
    assert all(len(line) <= formats.MESSAGE_LIMIT + len("flag: ") for line in summary.splitlines())


def test_a_message_quoting_a_hidden_test_is_withheld():
    from grading.manifest import PACK_ROOT

    hidden = sorted((PACK_ROOT / "tests" / "hidden").rglob("test_*.py"))[0].read_text()
    report = long_report("AssertionError: " + hidden, output=hidden)
    for name, texts in student_texts(report).items():
        joined = "\n".join(texts)
        telling = [line.strip() for line in hidden.splitlines() if len(line.strip()) >= formats.QUOTED_LINE]
        assert not [line for line in telling if line in joined], f"{name} shows a hidden test's source"
        assert formats.WITHHELD in joined, name


def test_gradescopes_always_visible_output_shows_no_hidden_result(report):
    output = json.loads(formats.gradescope(report))["output"]
    assert output.startswith("torch-kata: 2/2 visible tests passed."), output
    assert "hidden tests are graded too" in output
    assert "02_autograd/b" not in output, "b's only failure is hidden: naming b tells its hidden result"
    assert "/" + "20" not in output and "points" not in output, "points include the hidden tests' results"


def test_gradescopes_output_keeps_its_end_when_long():
    manifest = Manifest([Exercise(f"01_tensors/e{i}", "E", 1, 10.0) for i in range(400)])
    records = {f"tests/01_tensors/test_e{i}.py::test_x": collected(f"tests/01_tensors/test_e{i}.py::test_x",
                                                                   f"01_tensors/e{i}") for i in range(400)}
    results = {nodeid: TestResult(nodeid, "failed", "wrong") for nodeid in records}
    report = score(manifest, records, results, tampered={"01_tensors/e3": "torch.allclose"})
    output = json.loads(formats.gradescope(report))["output"]
    assert len(output) <= formats.OUTPUT_LIMIT
    assert "more" in output and output.rstrip().splitlines()[-1].startswith("flag: tampered"), output[-300:]


def test_messages_are_the_same_in_two_runs():
    record = collected("tests/01_tensors/test_a.py::test_shape", "01_tensors/a")

    def graded(address: str):
        message = f"expected a Tensor, got <object object at {address}>"
        results = {record["nodeid"]: TestResult(record["nodeid"], "failed", message, message)}
        return score(MANIFEST, {record["nodeid"]: record}, results).exercises[0].tests[0]

    first, second = graded("0x7f3a5c1b2d90"), graded("0x7f99e0a41c10")
    assert (first.message, first.output) == (second.message, second.output)
    assert "<object object at 0x…>" in first.message


def test_the_text_report_lists_each_failing_test_with_its_cause(report):
    lines = formats.text(report).splitlines()
    assert "02_autograd/b:" in lines and "01_tensors/a:" in lines
    hidden = [line for line in lines if "hidden case" in line]
    assert hidden == ["  ✗ hidden case: random shapes (3-5)", "  ✗ hidden case: edge"], hidden
    assert SECRET not in "\n".join(lines), "a hidden test's message leaked into the text report"
    visible = formats.text(long_report("AssertionError: expected shape (2, 3), got (3, 2)\nlikely cause: ...")).splitlines()
    assert "  ✗ test_shape: AssertionError: expected shape (2, 3), got (3, 2)" in visible, visible
