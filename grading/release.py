"""What an instructor hands out and uploads: the student release and the Gradescope autograder bundle."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

from grading.manifest import PACK_ROOT

# Never part of anything a student receives.
INSTRUCTOR_ONLY = ("solutions", "tests/hidden", "tests/variants", "tests/pack", ".ci", ".git", ".torch-kata")
JUNK = ("__pycache__", "*.pyc", "*.pyo", "*.egg-info", ".pytest_cache", ".venv")

CLASSROOM_WORKFLOW = """\
# GitHub Classroom autograding: runs the visible tests in the student's own repository on every push.
# Hidden tests never live here; grade them with Gradescope or `grader.py grade --batch`.
name: Autograding Tests
"on": [push, workflow_dispatch, repository_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - uses: actions/checkout@v6
      - uses: actions/setup-python@v6
        with:
          python-version: "3.11"
      - name: Install
        run: pip install -e ".[onnx]"
      - name: Grade the visible tests
        # one reporter runner per exercise: each result stays far below Linux's 128 KiB cap on one variable
        run: |
          python grader.py grade --format github --output kata.env
          cat kata.env >> "$GITHUB_ENV"
      - name: Report to GitHub Classroom
        uses: classroom-resources/autograding-grading-reporter@v1
        with:
          runners: ${{ env.KATA_RUNNERS }}
"""

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image, with this bundle unpacked in /autograder/source.
# Its default image (Ubuntu 22.04) has Python 3.10, which the grader supports.
set -euo pipefail
root="${AUTOGRADER_ROOT:-/autograder}"
if ! python3 -m venv --help > /dev/null 2>&1; then
  apt-get update && apt-get install -y python3 python3-pip python3-venv
fi
python3 -m venv "$root/venv"
"$root/venv/bin/pip" install -e "$root/source[onnx]"
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission. It must leave a results.json, whatever happens.
root="${AUTOGRADER_ROOT:-/autograder}"
python="${AUTOGRADER_PYTHON:-$root/venv/bin/python}"
results="$root/results/results.json"
mkdir -p "$root/results"
submission="$root/submission"
# students upload either the exercises/ folder itself or its contents
[ -d "$submission/exercises" ] && submission="$submission/exercises"
cd "$root/source" || exit 0
if ! "$python" grader.py grade "$submission" --format gradescope --output "$results.tmp" > "$root/results/grader.log" 2>&1 \\
   || [ ! -s "$results.tmp" ]; then
  reason=$(tail -c 2000 "$root/results/grader.log" | "$python" -c 'import json,sys; print(json.dumps(sys.stdin.read()))' \\
           2>/dev/null || echo '"see grader.log"')
  printf '{"score": 0, "output": "Grading failed before any result: please show this message to your instructor. %s", "tests": []}\\n' \\
         "$(echo "$reason" | sed 's/^"//; s/"$//')" > "$results.tmp"
fi
mv "$results.tmp" "$results"
exit 0
"""


def _ignored(relative: Path, excluded: tuple[str, ...]) -> bool:
    text = relative.as_posix()
    if any(text == prefix or text.startswith(prefix + "/") for prefix in excluded):
        return True
    return any(part == junk or (junk.startswith("*") and part.endswith(junk[1:]))
               for part in relative.parts for junk in JUNK)


def pack_files(root: Path = PACK_ROOT, keep=lambda relative: True,
               excluded: tuple[str, ...] = INSTRUCTOR_ONLY) -> list[Path]:
    """The pack's own files (relative paths), without instructor-only folders and build junk.

    In a git checkout only tracked files count, so nothing lying around a maintainer's work tree ships.
    """
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True)
    if listed.returncode == 0 and listed.stdout:
        candidates = [Path(name) for name in listed.stdout.decode().split("\0") if name]
    else:
        candidates = [path.relative_to(root) for path in root.rglob("*")]
    return [relative for relative in sorted(candidates)
            if (root / relative).is_file() and not (root / relative).is_symlink()
            and not _ignored(relative, excluded) and keep(relative)]


def student_readme(readme: str) -> str:
    """The README's parts between `<!-- student -->` and `<!-- /student -->` markers: what a learner needs."""
    parts = [chunk.split("<!-- /student -->")[0] for chunk in readme.split("<!-- student -->")[1:]]
    title = readme.splitlines()[0] if readme else "# torch-kata"
    return title + "\n" + "".join(parts).rstrip() + "\n"


def release(out: Path, root: Path = PACK_ROOT) -> list[Path]:
    """Write the student pack: stubs, visible tests, loader, grader, README, workflow. Returns what was written."""
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} exists and is not empty")
    files = pack_files(root)
    for relative in files:
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / relative, out / relative)
    # pristine stubs for `grader.py reset` (a release has no git history to restore from)
    for relative in files:
        if relative.parts[0] == "exercises" and relative.suffix == ".py":
            target = out / ".torch-kata" / "stubs" / relative.relative_to("exercises")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / relative, target)
    (out / "README.md").write_text(student_readme((root / "README.md").read_text()))
    workflow = out / ".github" / "workflows" / "classroom.yml"
    workflow.parent.mkdir(parents=True, exist_ok=True)
    workflow.write_text(CLASSROOM_WORKFLOW)
    return files + [workflow.relative_to(out)]


def bundle_gradescope(zip_path: Path, root: Path = PACK_ROOT) -> list[str]:
    """The instructor's Gradescope autograder: setup.sh, run_autograder and the grader with every test.

    Everything sits at the top of the zip: Gradescope unpacks it into /autograder/source and runs setup.sh there.
    """

    def grader_side(relative: Path) -> bool:
        top = relative.parts[0]
        return top in ("grader.py", "grading", "tests", "pyproject.toml", "README.md") or \
            relative.as_posix() == "exercises/manifest.toml"

    grader_excluded = tuple(prefix for prefix in INSTRUCTOR_ONLY if prefix != "tests/hidden")
    names = []
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, text in (("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER)):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o755 << 16
            bundle.writestr(info, text)
            names.append(name)
        for relative in pack_files(root, grader_side, grader_excluded):
            bundle.write(root / relative, relative.as_posix())
            names.append(relative.as_posix())
    return names
