"""The student release leaks nothing, installs, and its tests fail on stubs and pass on the solutions;
the Gradescope bundle grades a submission inside a fake /autograder and always leaves a results.json."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
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


FAKE_PYTHON3 = """\
#!/usr/bin/env bash
# stands in for the image's python3: `-m venv DIR` makes a venv whose python is the one running these tests
if [ "$1 $2" = "-m venv" ]; then
  if [ "$#" -eq 2 ] || [ "$3" = "--help" ]; then exit 0; fi
  mkdir -p "$3/bin"
  printf '#!/usr/bin/env bash\\nexec %s "$@"\\n' "{python}" > "$3/bin/python"
  printf '#!/usr/bin/env bash\\necho "$@" >> "%s"\\n' "$3/pip-calls" > "$3/bin/pip"
  chmod +x "$3/bin/python" "$3/bin/pip"
  exit 0
fi
exit 1
"""


def fake_autograder(tmp_path: Path, submission_source: Path) -> Path:
    """/autograder as Gradescope builds it: the bundle unpacked into source/, setup.sh run there, then
    run_autograder copied to the top."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(tmp_path / "bundle.zip") as bundle:
        bundle.extractall(root / "source")
    shims = tmp_path / "shims"
    shims.mkdir()
    (shims / "python3").write_text(FAKE_PYTHON3.format(python=sys.executable))
    (shims / "python3").chmod(0o755)
    subprocess.run(["bash", "setup.sh"], cwd=root / "source", timeout=60, check=True,
                   env={"AUTOGRADER_ROOT": str(root), "PATH": f"{shims}:/usr/bin:/bin"})
    pip_calls = (root / "venv" / "pip-calls").read_text().split()
    assert pip_calls[:2] == ["install", "-e"], pip_calls
    installed = Path(pip_calls[2].split("[")[0])
    assert (installed / "pyproject.toml").is_file() and (installed / "grader.py").is_file(), \
        f"setup.sh installs {installed}, which is not the unpacked grader"
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "run_autograder").chmod(0o755)
    (root / "submission" / "04_training").mkdir(parents=True)
    shutil.copy(submission_source, root / "submission" / f"{EXERCISE}.py")
    return root


def run_autograder(root: Path, python: str | None = None) -> dict:
    env = {"AUTOGRADER_ROOT": str(root), "PATH": "/usr/bin:/bin"}
    if python is not None:
        env["AUTOGRADER_PYTHON"] = python
    subprocess.run(["bash", str(root / "run_autograder")], timeout=900, check=True, env=env)
    return json.loads((root / "results" / "results.json").read_text())


def test_gradescope_bundle_grades_a_submission(tmp_path):
    names = bundle_gradescope(tmp_path / "bundle.zip")
    assert "setup.sh" in names and "run_autograder" in names and "grader.py" in names
    assert any(name.startswith("tests/hidden/") for name in names)
    assert not any(name.startswith(("solutions/", "tests/variants/", "source/")) for name in names)
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


def run_exercism(tmp_path: Path, slug: str, files: dict[str, Path]) -> tuple[dict, float]:
    solution, out = tmp_path / "solution", tmp_path / "out"
    solution.mkdir()
    for name, source in files.items():
        shutil.copy(source, solution / name)
    started = time.monotonic()
    subprocess.run(["bash", str(PACK_ROOT / "bin" / "run.sh"), slug, str(solution), str(out)], check=True,
                   timeout=120, env={**os.environ, "PYTHON": sys.executable})
    return json.loads((out / "results.json").read_text()), time.monotonic() - started


def test_exercism_runner_interface_grades_one_solution(tmp_path):
    results, seconds = run_exercism(tmp_path, "creation-dtypes",
                                    {"creation_dtypes.py": PACK_ROOT / "solutions" / "01_tensors" / "creation_dtypes.py"})
    assert results["version"] == 3 and results["status"] == "pass" and results["tests"], results
    assert all(test["test_code"].startswith("def test_") for test in results["tests"])
    assert seconds < 20, f"Exercism allows 20 s per solution; this one took {seconds:.1f} s"


def test_exercism_runner_reports_a_stub_and_an_unknown_slug(tmp_path):
    stub = PACK_ROOT / "exercises" / "01_tensors" / "creation_dtypes.py"
    results, _ = run_exercism(tmp_path, "creation-dtypes", {"creation_dtypes.py": stub})
    assert results["status"] in ("fail", "error") and any(test["message"] for test in results["tests"])
    (tmp_path / "solution").rename(tmp_path / "first")
    (tmp_path / "out").rename(tmp_path / "first-out")
    results, _ = run_exercism(tmp_path, "no-such-exercise", {})
    assert results["status"] == "error" and "no-such-exercise" in results["message"]
