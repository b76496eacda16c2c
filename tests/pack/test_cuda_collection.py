"""Without a GPU we cannot run the CUDA half, but we can prove a GPU box would collect and run all of it."""

import subprocess
import sys
from pathlib import Path

import pytest

PACK_ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def pytest_run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=PACK_ROOT, capture_output=True, text=True, timeout=600,
        env={"PYTHONPATH": str(Path(__file__).parent), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )


def cuda_verdicts(*args: str) -> dict[str, str]:
    """node id -> 'runs' or why a (fake) two-GPU box would still skip it, for every cuda-marked test."""
    done = pytest_run("--collect-only", "-s", "-p", "fake_cuda", *args)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return dict(line.split(" ", 2)[1:] for line in done.stdout.splitlines() if line.startswith("CUDA-TEST "))


def test_every_cuda_test_would_run_on_a_gpu_box():
    verdicts = cuda_verdicts()
    assert verdicts, "no test is marked cuda"
    skipped = [f"{nodeid}: {verdict}" for nodeid, verdict in verdicts.items() if verdict != "runs"]
    assert not skipped, "cuda tests that a GPU box would still skip:\n" + "\n".join(skipped)


def test_the_cuda_marker_selects_exactly_the_cuda_tests():
    selected = cuda_verdicts("-m", "cuda")
    assert set(selected) == set(cuda_verdicts())


def test_on_this_cpu_machine_the_cuda_half_skips_cleanly():
    done = pytest_run("-m", "cuda", "-rs", "tests/04_training", "tests/03_modules")
    assert done.returncode == 0, done.stdout[-3000:]
    summary = done.stdout.strip().splitlines()[-1]
    assert "skipped" in summary and "passed" not in summary and "failed" not in summary, summary
    assert "CUDA not available" in done.stdout
