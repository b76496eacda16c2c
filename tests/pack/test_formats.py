"""Every report format is a view of one scoring model, and each matches its published field list.

The schemas below are written from each platform's specification (no network at test time):
- Gradescope autograder results.json: top-level score, execution_time, output, visibility, tests[] of name,
  number, score, max_score, status (passed|failed), output, visibility (hidden|after_due_date|after_published|
  visible);
- Exercism test-runner interface, version 3: version, status (pass|fail|error), message when status is error,
  tests[] of name, status, message (on fail/error), output (at most 500 characters), task_id (integer);
- GitHub Classroom autograding reporter: version, status, max_score, tests[] of name, status, score, message.
"""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree

import pytest

from grading import formats
from grading.manifest import Exercise, Manifest
from grading.runner import TestResult
from grading.scoring import score

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


def test_points_split_by_weight_and_skips_leave_max_score(report):
    a, b = report.exercises
    assert (a.score, a.max_score) == (pytest.approx(3.33, abs=0.01), pytest.approx(6.67, abs=0.01))
    assert (b.score, b.max_score) == (15.0, 20.0)
    assert report.score == pytest.approx(18.33, abs=0.01) and report.max_score == pytest.approx(26.67, abs=0.01)
    assert any("CUDA not available" in note for note in report.notes)


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
        check_fields(test, {"name": str, "status": str, "task_id": int})
        assert test["status"] in ("pass", "fail", "error")
        assert len(test.get("output", "")) <= 500
        if test["status"] != "pass":
            assert test["message"]
    assert SECRET not in json.dumps(data)
    assert {t["task_id"] for t in data["tests"]} == {1, 2}


def test_github_classroom_reporter_payload(report):
    data = json.loads(formats.github(report))
    check_fields(data, {"version": int, "status": str, "max_score": (int, float), "tests": list})
    assert data["max_score"] == report.max_score
    assert sum(test["score"] for test in data["tests"]) == pytest.approx(report.score, abs=0.01)
    for test in data["tests"]:
        check_fields(test, {"name": str, "status": str, "score": (int, float), "message": str})
        assert test["status"] in ("pass", "fail", "error")


def test_junit_has_one_suite_per_exercise(report):
    root = ElementTree.fromstring(formats.junit(report).split("\n", 1)[1])
    suites = root.findall("testsuite")
    assert [suite.get("name") for suite in suites] == ["01_tensors/a", "02_autograd/b"]
    first = suites[0]
    assert (first.get("tests"), first.get("failures"), first.get("skipped")) == ("3", "1", "1")
    assert suites[1].find("testcase[@name='test_edge']/error") is not None


def test_csv_gradebook_row(report):
    rows = list(csv.reader(io.StringIO(formats.batch([report, report], ["alice", "bob"], "csv"))))
    assert rows[0] == ["student", "score", "max_score", "01_tensors/a", "02_autograd/b", "flags"]
    assert rows[1][0] == "alice" and rows[2][0] == "bob"
    assert "timeout 02_autograd/b" in rows[1][-1]


def test_long_output_is_truncated_with_a_notice():
    text = formats.truncate("y" * 10_000, 500)
    assert len(text) <= 500 and "truncated" in text
