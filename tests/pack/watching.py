"""A learner's `grader.py watch` session, driven from a pack test: shared by the fork and no-fork tests."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from grading.manifest import PACK_ROOT


def watch_fail_save_pass_and_move_on(pack: Path, exercise: str, env: dict[str, str], seconds: float) -> None:
    """`watch EXERCISE` in `pack` fails the stub, passes once the solution is saved over it, moves on to the
    next exercise, and stops on Ctrl-C with one line and no traceback."""
    watcher = subprocess.Popen([sys.executable, "grader.py", "watch", exercise], cwd=pack, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=env)
    lines: list[str] = []

    def wait_for(text: str) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            lines.append(watcher.stdout.readline())
            if text in lines[-1]:
                return
        raise AssertionError(f"watch never printed {text!r}: {''.join(lines)[-2000:]}")

    try:
        wait_for("✗")
        shutil.copy(PACK_ROOT / "solutions" / f"{exercise}.py", pack / "exercises" / f"{exercise}.py")
        wait_for("✓")
        wait_for("next:")
    finally:
        watcher.send_signal(signal.SIGINT)
        watcher.wait(timeout=60)
    rest = watcher.stdout.read()
    assert watcher.returncode == 0 and "stopped watching" in rest
    assert "Traceback" not in "".join(lines) + rest
