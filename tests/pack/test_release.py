"""The student release leaks nothing, installs, and its tests fail on stubs and pass on the solutions;
the Gradescope bundle grades a submission inside a fake /autograder and always leaves a results.json."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from grading.manifest import PACK_ROOT
from grading.release import bundle_gradescope, release

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

EXERCISE = "04_training/eval_mode_bug"


@pytest.fixture(scope="module")
def student_pack(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "pack"
    release(out)
    return out


def significant(path: Path) -> list[str]:
    """A file's lines that carry logic: stripped, without blanks, comments, docstrings and imports."""
    lines = [line.strip() for line in path.read_text().splitlines()]
    return [line for line in lines if len(line) > 12 and not line.startswith(("#", '"', "'", "from ", "import "))]


def secret_runs(run: int = 3) -> set[tuple[str, ...]]:
    """Every run of `run` consecutive significant lines of a solution or hidden test that no stub shares."""
    public = set()
    for path in list((PACK_ROOT / "exercises").rglob("*.py")) + list(PACK_ROOT.glob("tests/[0-9]*/*.py")):
        public |= set(significant(path))
    runs = set()
    for path in list((PACK_ROOT / "solutions").rglob("*.py")) + list((PACK_ROOT / "tests/hidden").rglob("*.py")):
        lines = significant(path)
        runs |= {tuple(lines[i:i + run]) for i in range(len(lines) - run + 1)
                 if not set(lines[i:i + run]) <= public}
    return runs


def test_the_release_holds_no_solution_hidden_test_or_variant(student_pack):
    names = {path.relative_to(student_pack).as_posix() for path in student_pack.rglob("*") if path.is_file()}
    assert not any(name.startswith(("solutions/", "tests/hidden/", "tests/variants/", "tests/pack/", ".git/"))
                   for name in names)
    assert not any(name.endswith((".pyc", ".pyo")) for name in names)
    secret = secret_runs()
    leaks = []
    for name in sorted(n for n in names if n.endswith((".py", ".md", ".toml", ".yml"))):
        lines = significant(student_pack / name)
        leaks += [(name, lines[i]) for i in range(len(lines) - 2) if tuple(lines[i:i + 3]) in secret]
    assert not leaks, f"solution or hidden-test text in the release: {leaks[:5]}"
    assert ".github/workflows/classroom.yml" in names and f".torch-kata/stubs/{EXERCISE}.py" in names


@pytest.fixture(scope="module")
def release_python(student_pack, tmp_path_factory) -> Path:
    """A fresh virtual environment with the release installed; torch comes from this environment."""
    venv = tmp_path_factory.mktemp("venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # reuse the installed torch rather than download 5 GB again: this environment's packages, then the release
    Path(site, "outer.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(student_pack)],
                   check=True, capture_output=True)
    return python


def run_pytest(python: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_DISABLE_PLUGIN_AUTOLOAD"}
    return subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600, env=env)


def test_release_tests_fail_on_every_stub(release_python, student_pack):
    done = run_pytest(release_python, student_pack, "-m", "not slow", "tests/04_training", "tests/01_tensors")
    summary = done.stdout.strip().splitlines()[-1]
    assert "failed" in summary and " passed" not in summary, summary


def test_release_tests_pass_on_the_solutions(release_python, student_pack, tmp_path):
    copy = tmp_path / "pack"
    shutil.copytree(student_pack, copy)
    shutil.copytree(PACK_ROOT / "solutions", copy / "exercises", dirs_exist_ok=True)
    done = run_pytest(release_python, copy, "-m", "not slow", "tests/04_training", "tests/01_tensors")
    summary = done.stdout.strip().splitlines()[-1]
    assert "passed" in summary and "failed" not in summary and "error" not in summary, done.stdout[-3000:]


def fake_autograder(tmp_path: Path, submission_source: Path) -> Path:
    root = tmp_path / "autograder"
    with zipfile.ZipFile(tmp_path / "bundle.zip") as bundle:
        bundle.extractall(root)
    (root / "run_autograder").chmod(0o755)
    (root / "submission" / "04_training").mkdir(parents=True)
    shutil.copy(submission_source, root / "submission" / f"{EXERCISE}.py")
    return root


def run_autograder(root: Path, python: str = sys.executable) -> dict:
    subprocess.run(["bash", str(root / "run_autograder")], timeout=900, check=True,
                   env={"AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": python, "PATH": "/usr/bin:/bin"})
    return json.loads((root / "results" / "results.json").read_text())


def test_gradescope_bundle_grades_a_submission(tmp_path):
    names = bundle_gradescope(tmp_path / "bundle.zip")
    assert "setup.sh" in names and "run_autograder" in names
    assert any(name.startswith("source/tests/hidden/") for name in names)
    assert not any(name.startswith(("source/solutions/", "source/tests/variants/")) for name in names)
    root = fake_autograder(tmp_path, PACK_ROOT / "solutions" / f"{EXERCISE}.py")
    results = run_autograder(root)
    mine = [test for test in results["tests"] if test["name"].startswith(EXERCISE)]
    assert mine and all(test["status"] == "passed" for test in mine)
    assert {test["visibility"] for test in mine} == {"visible", "after_published"}


def test_run_autograder_writes_results_even_when_grading_crashes(tmp_path):
    bundle_gradescope(tmp_path / "bundle.zip")
    root = fake_autograder(tmp_path, PACK_ROOT / "solutions" / f"{EXERCISE}.py")
    results = run_autograder(root, python="/bin/false")
    assert results["score"] == 0 and "Grading failed" in results["output"]
