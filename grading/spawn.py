"""The no-fork transport: every pytest job in a fresh Python of its own, and no sandbox.

The fork path (grading.warm) needs `os.fork`, process groups, `resource` and a selector on pipes. Windows has
none of them, and on macOS forking a process that has imported torch is unsafe (the Objective-C runtime and
Accelerate's threads do not survive it). There the grader uses this module instead:

    grader side   SpawnClient: the same interface as grading.runner.WarmClient, so the Runner, the channel
                  checks and every report are unchanged. It starts `python -m grading.spawn JOBFILE` per job
                  (Popen: it knows the pid, and `wait` gives the exit), reads each child's results pipe in a
                  thread of its own into one queue (selectors cannot wait on pipes on Windows), and wraps each
                  line exactly as the warm process does. So `forked` and `exited` still come only from the code
                  that started the child, never from the child.
    child side    main(): runs pytest with the same ResultsPlugin, its results on the pipe it was given as
                  stdout, its own output in the job's log.

The price: each job pays the torch import itself (2-4 s, where a fork costs milliseconds), and nothing here
limits or isolates the child: no rlimits, no namespaces, no user of its own, no private /tmp. A grade made this
way says so in its notes. Time limits still hold: pytest-timeout inside the child, the Runner's own deadline
outside, and a kill of the child's process tree.

Chosen by `no_fork_reason()`: automatically where `os.fork` is missing or on macOS, and forced anywhere by
TORCH_KATA_NO_FORK=1 (how the pack's tests drive this path on Linux).
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

from grading import sandbox
from grading.manifest import PACK_ROOT
from grading.warm import EOF_GRACE_SECONDS, LINE_LIMIT, wrap

if TYPE_CHECKING:
    from grading.runner import _Attempt

NO_FORK_ENV = "TORCH_KATA_NO_FORK"  # "1" (anything but "" and "0"): use this path even where fork works
NO_SANDBOX_NOTE = ("no sandbox: graded without fork ({reason}), so the submission ran with the grader's own "
                   "rights: no resource limits, no isolation (no namespaces, no user of its own, no private /tmp); "
                   "fine for your own code, not for a class: grade untrusted code on Linux, in a container")
SLOWER_NOTICE = ("note: grading without fork ({reason}): each test run starts a fresh Python and imports torch "
                 "itself (a few seconds more per run), and runs without the sandbox")
CHILD_FAILED = 70  # the exit status of a child that could not run pytest at all (as a forked child's)


def no_fork_reason() -> str | None:
    """Why this machine grades without fork, or None where the fork path works."""
    forced = os.environ.get(NO_FORK_ENV, "")
    if forced not in ("", "0"):
        return f"{NO_FORK_ENV}={forced}"
    if not hasattr(os, "fork"):
        return f"{sys.platform} has no os.fork"
    if sys.platform == "darwin":
        return "macOS: forking after importing torch is unsafe"
    return None


def _read_lines(job: int, stream, events: queue.Queue) -> None:
    """In a thread: a child's results pipe -> ("line", job, bytes) items, then ("eof", job, None).

    A line is read at most LINE_LIMIT + 1 bytes at a time, so an endless one is reported once and its tail
    dropped as it comes, never buffered; a last line with no newline is dropped, as the warm process does.
    """
    skipping = False
    for line in iter(lambda: stream.readline(LINE_LIMIT + 1), b""):
        complete = line.endswith(b"\n")
        if skipping:
            skipping = not complete
        elif complete:
            events.put(("line", job, line.rstrip(b"\r\n")))  # \r: a text-mode writer on Windows
        elif len(line) > LINE_LIMIT:
            events.put(("line", job, line))  # overlong: wrap() reports it as garbled
            skipping = True
    events.put(("eof", job, None))


def _new_process_group() -> dict:
    """Popen arguments that put the child in a group of its own, so the tree can be killed and Ctrl-C in the
    grader's terminal reaches only the grader (which then kills its children itself)."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def kill_tree(process: subprocess.Popen) -> None:
    """SIGKILL (TerminateProcess) a child we started and whatever it started: `taskkill /T` on Windows, its
    process group where there is one, else the child alone."""
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/T", "/F", "/PID", str(process.pid)], capture_output=True)
    elif hasattr(os, "killpg"):
        import signal

        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    process.kill()  # a no-op once the child has been waited for


@dataclass
class _Child:
    job: int
    process: subprocess.Popen
    jobfile: str
    eof: bool = False
    exited_at: float | None = None


class SpawnClient:
    """The grader's handle on its spawned children: WarmClient's interface, one fresh Python per job."""

    sandboxed = False  # the Runner notes every isolated job it ran without the sandbox

    def __init__(self, concurrency: int, lazy_imports: bool = False) -> None:
        """lazy_imports is WarmClient's: here every job imports only what it uses, so it is always lazy."""
        self.concurrency = concurrency
        self.alive = True  # no shared parent process that could die: a dead child is just that job's exit
        self._pending: deque[dict] = deque()
        self._children: dict[int, _Child] = {}  # job id -> the child running it
        self._queue: queue.Queue = queue.Queue()  # what the reader threads heard
        self._out: list[dict] = []  # events to hand out on the next call
        self._folder = tempfile.mkdtemp(prefix="torch-kata-spawn-")

    def submit(self, record: dict) -> None:
        self._pending.append(record)
        self._start_pending()

    def _start_pending(self) -> None:
        while self._pending and len(self._children) < self.concurrency:
            self._start(self._pending.popleft())

    def _start(self, record: dict) -> None:
        jobfile = os.path.join(self._folder, f"job{record['job']}.json")  # no command-line length limit
        with open(jobfile, "w", encoding="utf-8") as handle:
            json.dump(record, handle)
        with open(record["log"], "wb") as log:  # the child's own output; it is handed a copy of the handle
            process = subprocess.Popen(
                [sys.executable, "-m", "grading.spawn", jobfile], cwd=record["cwd"], env=_child_env(record),
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log, **_new_process_group())
        child = self._children[record["job"]] = _Child(record["job"], process, jobfile)
        threading.Thread(target=_read_lines, args=(child.job, process.stdout, self._queue), daemon=True).start()
        self._out.append({"job": child.job, "event": "forked", "pid": process.pid})  # Popen's, not the child's

    def events(self, timeout: float) -> list[dict]:
        self._start_pending()
        if self._out or any(child.eof for child in self._children.values()):
            timeout = min(timeout, 0.05)  # something to say now, or an exit a moment away: do not sit on it
        try:
            items = [self._queue.get(timeout=timeout)]
        except queue.Empty:
            items = []
        while True:
            try:
                items.append(self._queue.get_nowait())
            except queue.Empty:
                break
        for kind, job, line in items:
            child = self._children.get(job)
            if child is None:  # already reported exited (a grandchild held the pipe past the grace): not heard
                continue
            if kind == "eof":
                child.eof = True
            else:
                self._out.append(wrap(job, line))
        self._reap()
        out, self._out = self._out, []
        return out

    def _reap(self) -> None:
        """Report `exited` once a child has exited and its pipe is drained (or EOF_GRACE_SECONDS after its exit,
        when something it started still holds the pipe), as the warm process does."""
        now = time.monotonic()
        for job, child in list(self._children.items()):
            code = child.process.poll()
            if code is None:
                continue
            if child.exited_at is None:
                child.exited_at = now
                kill_tree(child.process)  # whatever it left running in its group goes with it
            if child.eof or now - child.exited_at > EOF_GRACE_SECONDS:
                self._out.append({"job": job, "event": "exited", "status": code if code >= 0 else None,
                                  "signal": -code if code < 0 else None})
                del self._children[job]
                _remove(child.jobfile)

    def kill(self, attempt: _Attempt) -> None:
        """Kill the child running `attempt`, found by the pid Popen gave us (never a pid a child wrote)."""
        child = next((child for child in self._children.values() if child.process.pid == attempt.pid), None)
        if child is not None:
            kill_tree(child.process)

    def abort(self) -> None:
        """Ctrl-C: every child goes now."""
        for child in self._children.values():
            kill_tree(child.process)

    def close(self) -> None:
        self._pending.clear()
        for child in self._children.values():
            kill_tree(child.process)
            child.process.wait()
        self._children.clear()
        shutil.rmtree(self._folder, ignore_errors=True)


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def _child_env(record: dict) -> dict[str, str]:
    """The child's environment: the pack first on the path (the learner's own PYTHONPATH after it, as their
    pytest sees it), the grading children's settings, and, for a graded job, scratch files in its own home."""
    path = os.pathsep.join(filter(None, [str(PACK_ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, **sandbox.SAFE_ENV, "PYTHONPATH": path, **(record.get("env") or {})}
    home = (record.get("isolation") or {}).get("home")
    if home:  # removed with the attempt's home: nothing the job writes to its temp folder outlives it
        env.update({"TMPDIR": home, "TEMP": home, "TMP": home})
    return env


def main(argv: list[str]) -> None:
    """In the spawned child: run the job in JOBFILE (argv[1]) with the results plugin, never return."""
    try:
        with open(argv[1], encoding="utf-8") as handle:
            job = json.load(handle)
        results = os.dup(1)  # the pipe the grader reads
        os.dup2(2, 1)  # stdout joins stderr in the job's log: prints never reach the results channel
        os.chdir(job["cwd"])
        import gc

        import pytest
        import torch

        from grading.plugin import ResultsPlugin

        torch.set_num_threads(int(job.get("threads", 1)))
        gc.collect()  # as the warm process does: pytest's collections stop walking torch's objects
        gc.freeze()
        plugin = ResultsPlugin(results, job.get("select"), None, job.get("canary"))
        code = pytest.main(job["args"], plugins=[plugin])
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(int(code))  # tearing down torch's interpreter state would only cost a second
    except BaseException:  # noqa: BLE001 - whatever happens, the grader must hear an exit
        try:
            import traceback

            traceback.print_exc()  # into the job's log
            sys.stderr.flush()
        finally:
            os._exit(CHILD_FAILED)


if __name__ == "__main__":
    main(sys.argv)
