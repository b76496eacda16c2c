"""The learner's loop: list, next, hint, reset, solution, watch. Works in the full repo and in a release.

State (hints shown, cached statuses) lives in `.torch-kata/state.json` beside the pack; deleting it is safe.
A cached status is keyed by a hash of the exercise file and its visible tests, so a second `list` runs
nothing unless a file changed.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from grading.manifest import PACK_ROOT, Exercise, Manifest

STATE_DIR = PACK_ROOT / ".torch-kata"
ORIGINALS = STATE_DIR / "stubs"  # a release ships the pristine stubs here; the full repo uses git instead
DONE, IN_PROGRESS, NOT_STARTED = "done", "in progress", "not started"


class Terminal:
    """Colour only on a TTY and never with NO_COLOR; everything fits 80 columns."""

    WIDTH = 80
    CODES = {"green": "32", "yellow": "33", "red": "31", "dim": "2", "bold": "1"}

    def __init__(self, stream=sys.stdout) -> None:
        self.stream = stream
        self.colour = stream.isatty() and "NO_COLOR" not in os.environ

    def paint(self, text: str, colour: str) -> str:
        return f"\033[{self.CODES[colour]}m{text}\033[0m" if self.colour else text

    def say(self, text: str = "") -> None:
        print(text, file=self.stream, flush=True)

    @staticmethod
    def bar(done: int, total: int, width: int = 20) -> str:
        filled = round(width * done / total) if total else 0
        return "[" + "#" * filled + "-" * (width - filled) + "]"


class State:
    def __init__(self, path: Path = STATE_DIR / "state.json") -> None:
        self.path = path
        try:
            self.data = json.loads(path.read_text())
        except (OSError, ValueError):
            self.data = {}
        self.data.setdefault("hints_shown", {})
        self.data.setdefault("status", {})

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.data, indent=1, sort_keys=True))


def exercise_file(exercise: Exercise, root: Path = PACK_ROOT) -> Path:
    return root / "exercises" / exercise.relpath


def original_stub(exercise: Exercise, root: Path = PACK_ROOT) -> str | None:
    """The stub as shipped: from the release's copy, else from git's committed version."""
    shipped = root / ".torch-kata" / "stubs" / exercise.relpath
    if shipped.is_file():
        return shipped.read_text()
    done = subprocess.run(["git", "show", f"HEAD:exercises/{exercise.relpath}"], cwd=root,
                          capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else None


def fingerprint(exercise: Exercise, root: Path = PACK_ROOT) -> str:
    digest = hashlib.sha256()
    for path in [exercise_file(exercise, root), *exercise.test_files(root, hidden=False)]:
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()


def scenario(exercise: Exercise, root: Path = PACK_ROOT) -> str:
    """The first paragraph of the exercise's docstring, read without importing it."""
    try:
        docstring = ast.get_docstring(ast.parse(exercise_file(exercise, root).read_text())) or ""
    except (OSError, SyntaxError):
        return ""
    return docstring.split("\n\n")[0].strip()


def test_command(exercise: Exercise) -> str:
    return f"pytest tests/{exercise.chapter}/test_{exercise.name}.py"


def run_tests(runner, exercises: list[Exercise], root: Path = PACK_ROOT) -> dict[str, list]:
    """The tests `grade` runs for `exercises` (the hidden ones too, where this pack has them) against exercises/,
    through the warm runner: id -> results. So `list`, `next` and `watch` never call done what `grade` marks down.

    One job per process and no separate collection: a re-check in `watch` is a single fork of the warm process.
    """
    from grading.runner import Job

    groups = [exercises[index::runner.concurrency] for index in range(runner.concurrency)]
    jobs = [Job("learner", root / "exercises", [path for exercise in group
                                                for path in exercise.test_files(root, hidden=True)])
            for group in groups if group]
    runner.run(jobs)
    by_exercise: dict[str, list] = {exercise.id: [] for exercise in exercises}
    for job in jobs:
        for nodeid, result in job.results.items():
            exercise_id = job.collected.get(nodeid, {}).get("exercise")
            if exercise_id in by_exercise:
                by_exercise[exercise_id].append(result)
    return by_exercise


def is_hidden(result) -> bool:
    return result.nodeid.startswith("tests/hidden/")


def hidden_count(results: list) -> str:
    hidden = sum(is_hidden(result) and result.status != "skipped" for result in results)
    return f" (including {hidden} hidden cases)" if hidden else ""


def verdict(results: list) -> str:
    counted = [result for result in results if result.status != "skipped"]
    return DONE if counted and all(result.status == "passed" for result in counted) else IN_PROGRESS


def statuses(manifest: Manifest, state: State, runner_factory) -> dict[str, str]:
    """Every exercise's status, running tests only for files changed since their cached status."""
    found: dict[str, str] = {}
    stale: list[Exercise] = []
    for exercise in manifest:
        cached = state.data["status"].get(exercise.id)
        if cached and cached["fingerprint"] == fingerprint(exercise):
            found[exercise.id] = cached["status"]
        elif exercise_file(exercise).is_file() and exercise_file(exercise).read_text() == original_stub(exercise):
            found[exercise.id] = NOT_STARTED
        else:
            stale.append(exercise)
    if stale:
        with runner_factory() as runner:
            for exercise_id, results in run_tests(runner, stale).items():
                found[exercise_id] = verdict(results)
                state.data["status"][exercise_id] = {"fingerprint": fingerprint(manifest.get(exercise_id)),
                                                     "status": found[exercise_id]}
        state.save()
    return found


def first_failure(results: list) -> str:
    """The first failing test with its message; a hidden one by the kind of case it covers, never its message."""
    failing = [result for result in results if result.status in ("failed", "error")]
    for result in sorted(failing, key=is_hidden):  # a visible failure first: its message teaches
        from grading.formats import describe_test_name

        name = result.nodeid.split("::", 1)[-1]
        if is_hidden(result):
            return f"a hidden case fails: {describe_test_name(name)}"
        return f"{name}: {result.message}"
    return ""


def watch(manifest: Manifest, start: Exercise, runner, term: Terminal, poll: float = 0.3) -> None:
    """Re-check `start` on every save; when it passes, move on to the next unfinished exercise."""
    order = list(manifest)
    current = start
    last_seen = None
    term.say(f"watching {exercise_file(current).relative_to(PACK_ROOT)}  (Ctrl-C to stop)")
    while True:
        path = exercise_file(current)
        stamp = path.stat().st_mtime_ns if path.exists() else None
        if stamp != last_seen:
            last_seen = stamp
            started = time.monotonic()
            results = run_tests(runner, [current])[current.id]
            seconds = time.monotonic() - started
            passed = sum(result.status == "passed" for result in results)
            counted = sum(result.status != "skipped" for result in results)
            if verdict(results) == DONE:
                term.say(term.paint(f"✓ {current.id}: all {counted} tests pass{hidden_count(results)} "
                                    f"({seconds:.1f} s)", "green"))
                following = order[order.index(current) + 1:]
                if not following:
                    term.say("That was the last exercise. Well done!")
                    return
                current, last_seen = following[0], None
                term.say(f"next: {current.id} — {current.title}\n  {exercise_file(current).relative_to(PACK_ROOT)}")
                continue
            term.say(term.paint(f"✗ {current.id}: {passed}/{counted} tests pass ({seconds:.1f} s)", "red"))
            term.say("  " + first_failure(results).replace("\n", "\n  ")[:1200])
        time.sleep(poll)
