"""A class split over workers: shards graded by separate processes and merged give the single batch's gradebook."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grading import shards
from grading.manifest import PACK_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

EXERCISE = "01_tensors/creation_dtypes"
STUDENTS = {"alice": "solutions", "bob": "exercises", "carol": "solutions", "dan": "exercises", "erin": "solutions"}


def grader(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(PACK_ROOT / "grader.py"), *args], capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def klass(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("class")
    for student, source in STUDENTS.items():
        (root / student / "01_tensors").mkdir(parents=True)
        shutil.copy(PACK_ROOT / source / f"{EXERCISE}.py", root / student / f"{EXERCISE}.py")
    return root


def test_a_student_always_lands_in_the_same_part():
    assert [shards.part_of(name, 3) for name in STUDENTS] == [shards.part_of(name, 3) for name in STUDENTS]
    assert all(1 <= shards.part_of(f"student{i}", 4) <= 4 for i in range(200))
    sizes = [sum(shards.part_of(f"student{i}", 4) == k for i in range(400)) for k in range(1, 5)]
    assert min(sizes) > 70, sizes  # a hash: balanced enough for a large class


def test_shards_merged_give_the_single_batchs_gradebook(klass, tmp_path):
    single = tmp_path / "single.csv"
    done = grader("grade", str(klass), "--batch", "--exercise", EXERCISE, "--format", "csv", "--output", str(single))
    assert done.returncode == 0, done.stderr[-1000:]
    workers = [subprocess.Popen([sys.executable, str(PACK_ROOT / "grader.py"), "grade", str(klass), "--batch",
                                 "--exercise", EXERCISE, "--shard", f"{k}/2", "--output", str(tmp_path / f"{k}.json"),
                                 "--jobs", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
               for k in (1, 2)]
    for worker in workers:
        assert worker.wait(timeout=600) == 0, worker.stderr.read()[-1000:]
    merged = tmp_path / "merged.csv"
    done = grader("merge", str(tmp_path / "1.json"), str(tmp_path / "2.json"), "--format", "csv",
                  "--output", str(merged))
    assert done.returncode == 0, done.stderr
    assert merged.read_bytes() == single.read_bytes()
    rows = merged.read_text().splitlines()[1:]
    assert [row.split(",")[0] for row in rows] == sorted(STUDENTS)

    missing = grader("merge", str(tmp_path / "1.json"), "--format", "csv")
    assert missing.returncode == 2 and "missing shard report(s): 2/2" in missing.stderr, missing.stderr
    twice = grader("merge", str(tmp_path / "1.json"), str(tmp_path / "1.json"), str(tmp_path / "2.json"))
    assert twice.returncode == 2 and "given twice" in twice.stderr, twice.stderr


def test_a_bad_shard_argument_is_refused(klass):
    for bad in ("3/2", "0/2", "two"):
        done = grader("grade", str(klass), "--batch", "--shard", bad)
        assert done.returncode == 2 and "--shard" in done.stderr, (bad, done.stderr)
