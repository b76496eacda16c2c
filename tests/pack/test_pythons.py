"""The torch-free commands (list, next, hint, reset, release) on every Python the pack claims (3.10 to 3.13).

Each interpreter found under pyenv gets a bare virtual environment (plus tomli before 3.11, as the pack's
dependencies say) and drives a fresh student release; one that is not installed here is skipped.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from grading.release import release

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

PYENV = Path.home() / ".pyenv" / "versions"
PYTHONS = ["3.10", "3.12", "3.13"]


def interpreter(version: str) -> Path | None:
    found = sorted(PYENV.glob(f"{version}.*/bin/python"))
    return found[-1] if found else None


@pytest.mark.parametrize("version", PYTHONS)
def test_the_torch_free_commands_work(version, tmp_path):
    python = interpreter(version)
    if python is None:
        pytest.skip(f"Python {version} is not installed under {PYENV}")
    venv = tmp_path / "venv"
    subprocess.run([str(python), "-m", "venv", str(venv)], check=True, timeout=120)
    if version == "3.10":
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "tomli"], check=True, timeout=300,
                       capture_output=True)
    pack = tmp_path / "pack"
    release(pack)

    def grader(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([str(venv / "bin" / "python"), "grader.py", *args], cwd=pack, input=stdin, text=True,
                              capture_output=True, timeout=120, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(pack)})

    for args in (["list"], ["next"], ["hint", "01_tensors/einsum"], ["release", str(tmp_path / "again")]):
        done = grader(*args)
        assert done.returncode == 0, (version, args, done.stderr[-1000:])
    assert "overall" in grader("list").stdout
    stub = pack / "exercises" / "01_tensors" / "einsum.py"
    original = stub.read_text()
    stub.write_text("# my attempt\n")
    done = grader("reset", "01_tensors/einsum", stdin="y\n")
    assert done.returncode == 0 and stub.read_text() == original, (version, done.stdout, done.stderr[-500:])
