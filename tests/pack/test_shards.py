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


# What each engine defines, for the fields the templates use (from the engines' published references:
# GitHub Actions workflow syntax, Kubernetes batch/v1 Job and core/v1 PodSpec).
GITHUB_FIELDS = {
    "workflow": {"name", "on", "jobs"},
    "job": {"runs-on", "strategy", "steps", "needs", "if"},
    "strategy": {"fail-fast", "matrix"},
    "step": {"name", "uses", "with", "run"},
}
K8S_FIELDS = {
    "job": {"apiVersion", "kind", "metadata", "spec"},
    "spec": {"completionMode", "completions", "parallelism", "backoffLimit", "template"},
    "pod": {"restartPolicy", "containers", "volumes"},
    "container": {"name", "image", "workingDir", "command", "securityContext", "resources", "volumeMounts"},
    "mount": {"name", "mountPath", "readOnly"},
}


def test_the_templates_use_only_their_engines_fields_and_parse_as_yaml():
    from grading import scaleout

    workflow = scaleout.github_matrix(3)
    assert set(workflow) <= GITHUB_FIELDS["workflow"]
    for job in workflow["jobs"].values():
        assert set(job) <= GITHUB_FIELDS["job"] and set(job.get("strategy", {})) <= GITHUB_FIELDS["strategy"]
        assert all(set(step) <= GITHUB_FIELDS["step"] for step in job["steps"])
    assert workflow["jobs"]["grade"]["strategy"]["matrix"]["shard"] == [1, 2, 3]
    job = scaleout.k8s_job(3)
    assert set(job) <= K8S_FIELDS["job"] and set(job["spec"]) <= K8S_FIELDS["spec"]
    assert job["spec"]["completionMode"] == "Indexed" and job["spec"]["completions"] == 3
    pod = job["spec"]["template"]["spec"]
    assert set(pod) <= K8S_FIELDS["pod"] and all(set(c) <= K8S_FIELDS["container"] for c in pod["containers"])
    assert all(set(m) <= K8S_FIELDS["mount"] for c in pod["containers"] for m in c["volumeMounts"])
    import yaml

    for kind, data in (("github-matrix", workflow), ("k8s-job", job)):
        assert yaml.safe_load(scaleout.TEMPLATES[kind][1](3)) == data, kind


def test_the_templates_run_the_commands_these_tests_ran(klass, tmp_path):
    """The Slurm template is run as each array task would run it, then merged; the GitHub and Kubernetes ones
    carry the same grade command with their engine's index in it."""
    from grading import scaleout

    assert scaleout.grade_command("submissions", "${{ matrix.shard }}", 3, "reports") in \
        scaleout.github_matrix(3)["jobs"]["grade"]["steps"][4]["run"]
    assert scaleout.grade_command("/submissions", "$((JOB_COMPLETION_INDEX + 1))", 3, "/reports") in \
        scaleout.k8s_job(3)["spec"]["template"]["spec"]["containers"][0]["command"][-1]
    script = scaleout.write("slurm", tmp_path / "jobs", parts=2)
    shim = tmp_path / "bin"
    shim.mkdir()
    (shim / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')  # a venv's python, found by name
    (shim / "python").chmod(0o755)
    reports = tmp_path / "reports"
    for task in (1, 2):
        env = {"PATH": f"{shim}:/usr/bin:/bin", "SLURM_ARRAY_TASK_ID": str(task), "PACK": str(PACK_ROOT),
               "SUBMISSIONS": str(klass), "REPORTS": str(reports), "HOME": str(tmp_path),
               "GRADE_ARGS": f"--exercise {EXERCISE}"}
        done = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-1000:]
    single = grader("grade", str(klass), "--batch", "--exercise", EXERCISE, "--format", "csv")
    merged = grader("merge", str(reports / "shard-1.json"), str(reports / "shard-2.json"), "--format", "csv")
    assert merged.returncode == 0 and merged.stdout == single.stdout, merged.stderr
