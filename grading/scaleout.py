"""Templates for grading a class on engines instructors already run: a GitHub Actions matrix, a Kubernetes
Indexed Job and a Slurm job array. Each hands worker K of N its index; each worker runs `grade --batch --shard
K/N` into a shard report, and one `merge` makes the gradebook (see README, "Grading a large class").

The templates are built as data, so the tests can check every field against what each engine defines, and
written as YAML (block style, every scalar quoted: `on` is not read as a boolean) or as a bash script.
"""

from __future__ import annotations

import json
from pathlib import Path

INSTALL = 'pip install -e ".[onnx]"'
DEFAULT_PARTS = 4


def grade_command(submissions: str, part: str, parts: int, reports: str) -> str:
    """The one command every worker runs; `part` is the engine's index expression, counted from 1."""
    return (f'python grader.py grade {submissions} --batch --shard "{part}/{parts}" '
            f'--output "{reports}/shard-{part}.json"')


def merge_command(reports: str) -> str:
    return f"python grader.py merge {reports}/shard-*.json --format csv --output {reports}/grades.csv"


def github_matrix(parts: int = DEFAULT_PARTS) -> dict:
    part = "${{ matrix.shard }}"
    setup = [{"uses": "actions/checkout@v6"},
             {"uses": "actions/setup-python@v6", "with": {"python-version": "3.11"}},
             {"name": "Install the pack", "run": INSTALL}]
    return {
        "name": "Grade the class",
        "on": {"workflow_dispatch": {}},
        "jobs": {
            "grade": {
                "runs-on": "ubuntu-latest",
                "strategy": {"fail-fast": False, "matrix": {"shard": list(range(1, parts + 1))}},
                "steps": setup + [
                    {"name": "Check out the submissions", "uses": "actions/checkout@v6",
                     "with": {"repository": "${{ vars.SUBMISSIONS_REPOSITORY }}", "path": "submissions",
                              "token": "${{ secrets.SUBMISSIONS_TOKEN }}"}},
                    # as root, so the sandbox applies (namespaces, a user per job); the runner's sudo needs no password
                    {"name": f"Grade part {part} of {parts}",
                     "run": 'mkdir -p reports && sudo -E env PATH="$PATH" '
                            + grade_command("submissions", part, parts, "reports")},
                    {"uses": "actions/upload-artifact@v4", "with": {"name": f"shard-{part}",
                                                                    "path": f"reports/shard-{part}.json"}},
                ],
            },
            "merge": {
                "needs": "grade",
                "if": "${{ always() }}",  # a failed part is then named by merge, not silently left out
                "runs-on": "ubuntu-latest",
                "steps": setup + [
                    {"uses": "actions/download-artifact@v4",
                     "with": {"pattern": "shard-*", "path": "reports", "merge-multiple": True}},
                    {"name": "Merge the parts", "run": merge_command("reports")},
                    {"uses": "actions/upload-artifact@v4", "with": {"name": "grades", "path": "reports/grades.csv"}},
                ],
            },
        },
    }


def k8s_job(parts: int = DEFAULT_PARTS) -> dict:
    part = "$((JOB_COMPLETION_INDEX + 1))"
    volumes = {"pack": "/pack", "submissions": "/submissions", "reports": "/reports"}
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "torch-kata-grade"},
        "spec": {
            "completionMode": "Indexed",
            "completions": parts,
            "parallelism": parts,
            "backoffLimit": parts,
            "template": {"spec": {
                "restartPolicy": "Never",
                "containers": [{
                    "name": "grade",
                    "image": "python:3.11",
                    "workingDir": "/pack",
                    "command": ["bash", "-c", f"{INSTALL} && {grade_command('/submissions', part, parts, '/reports')}"],
                    # the sandbox makes namespaces: without this the report says which protection was not applied
                    "securityContext": {"capabilities": {"add": ["SYS_ADMIN"]}},
                    "resources": {"requests": {"cpu": "2", "memory": "8Gi"}},
                    "volumeMounts": [{"name": name, "mountPath": path, "readOnly": name == "submissions"}
                                     for name, path in volumes.items()],
                }],
                "volumes": [{"name": name, "persistentVolumeClaim": {"claimName": f"torch-kata-{name}"}}
                            for name in volumes],
            }},
        },
    }


def slurm(parts: int = DEFAULT_PARTS) -> str:
    return f"""#!/usr/bin/env bash
# Grade part $SLURM_ARRAY_TASK_ID of {parts} of a class; then, once all are done, merge them:
#   sbatch --export=ALL,SUBMISSIONS=/path/to/class grade-class.sbatch
#   sbatch --dependency=afterany:JOBID --wrap "cd $PACK && {merge_command('$REPORTS')}"
#SBATCH --job-name=torch-kata-grade
#SBATCH --array=1-{parts}
#SBATCH --cpus-per-task=2
#SBATCH --mem=8G
#SBATCH --time=04:00:00
set -euo pipefail
cd "${{PACK:-$SLURM_SUBMIT_DIR}}"
REPORTS="${{REPORTS:-reports}}"
mkdir -p "$REPORTS"
# GRADE_ARGS: more options for grade, e.g. "--jobs 4" or "--exercise 01_tensors/einsum"
{grade_command('"$SUBMISSIONS"', "$SLURM_ARRAY_TASK_ID", parts, "$REPORTS")} ${{GRADE_ARGS:-}}
"""


def to_yaml(data, indent: int = 0) -> str:
    """Block-style YAML with every scalar and key quoted as JSON (which YAML reads the same way)."""
    pad = " " * indent
    if isinstance(data, dict):
        if not data:
            return "{}"
        return "\n".join(f"{pad}{json.dumps(key)}:" + _value(value, indent) for key, value in data.items())
    if isinstance(data, list):
        if not data:
            return "[]"
        return "\n".join(f"{pad}-" + _value(item, indent + 2, in_list=True) for item in data)
    return json.dumps(data)


def _value(value, indent: int, in_list: bool = False) -> str:
    if isinstance(value, (dict, list)) and value:
        if in_list and isinstance(value, dict):  # `- key: value` with the rest of the mapping aligned under it
            return " " + to_yaml(value, indent).lstrip()
        return "\n" + to_yaml(value, indent + 2)
    return " " + to_yaml(value)


TEMPLATES = {
    "github-matrix": ("grade-class.yml", lambda parts: "# Grade a class in a matrix of parts, then merge them.\n"
                      + to_yaml(github_matrix(parts)) + "\n"),
    "k8s-job": ("grade-class-job.yaml", lambda parts: "# kubectl apply -f; then merge /reports/shard-*.json\n"
                + to_yaml(k8s_job(parts)) + "\n"),
    "slurm": ("grade-class.sbatch", slurm),
}


def write(kind: str, dest: Path, parts: int = DEFAULT_PARTS) -> Path:
    name, render = TEMPLATES[kind]
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / name
    path.write_text(render(parts))
    if kind == "slurm":
        path.chmod(0o755)
    return path
