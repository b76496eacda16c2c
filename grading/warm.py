"""The warm process: imports torch once, then forks one child per pytest job.

Importing torch costs seconds; forking a process that already holds it costs milliseconds. The grader (which
never imports torch itself) starts this module as a subprocess and talks to it in JSON lines:

    stdin   {"job": 3, "args": [...], "cwd": "...", "env": {...}, "limits": {...}, "select": [...] | null}
    stdout  {"job": 3, "event": "forked", "pid": 1234}                   (fork's own return value)
            {"job": 3, "event": "child", "record": {...}}               (a JSON object the child wrote)
            {"job": 3, "event": "garbled", "line": "..."}               (a line that was not one)
            {"job": 3, "event": "exited", "status": 0, "signal": null}  (from waitpid)

Only this process says `forked` and `exited`: whatever a child writes travels wrapped as a `child` record, so a
child claiming a pid or an exit is just a child saying something odd (grading.channel judges it).

Each child gets its own process group (so the grader can kill everything it started), the job's resource
limits, one intra-op thread unless told otherwise, and its stdout/stderr sent to a size-capped log file.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import selectors
import signal
import sys
import time
from collections import deque

from grading import sandbox

EOF_GRACE_SECONDS = 2.0
# bytes: the plugin's longest line holds ~18 000 characters, up to 12 bytes each as JSON escapes them (emoji in
# a test's output); a longer line is garbled, and not buffered on
LINE_LIMIT = 256 * 1024


# What every child needs: imported before the first fork.
ESSENTIAL_MODULES = (
    "numpy",
    "pytest",
    "torch",
    "pytest_timeout",
    "xdist.plugin",  # every child loads it: the pack's addopts name --dist
    "_pytest.pytester",
    "torch.utils._python_dispatch",  # tests/helpers.py
    "grading.plugin",
)
# What many children load lazily, each paying for it again unless this process holds it first.
LATER_MODULES = (
    "torch._dynamo",  # the first optimizer step or einsum under a dispatch mode: 1.7 s
    "torch.distributed.tensor",  # the first torch.testing.assert_close (loaded with torch._dynamo)
    "torchvision",
    "torch._functorch.partitioners",  # torch.export, with networkx
    "torch._inductor.decomposition",  # torch.export and the ONNX exporter decompose with it
    # the optional [onnx] extra: loaded by the first export otherwise, 0.5 s in every child that exports;
    # not onnxruntime (0.07 s): it starts a thread at import, and this process forks
    "onnxscript.function_libs.torch_lib.ops",
    "torch.onnx._internal.exporter._core",
)


def _import(*names: str) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional extra that is not installed: the children do without it too
            pass
    # torch's million objects move to the permanent generation: the children's collections (pytest runs
    # gc.collect five times at exit) no longer walk them, and forked pages stay shared. Measured: 1.3 s less
    # per job.
    gc.collect()
    gc.freeze()


def _run_child(job: dict, write_fd: int) -> None:
    """In the forked child: become the job, run pytest, never return."""
    try:
        os.setsid()
        sandbox_problems = sandbox.enter(job.get("limits") or {}, job.get("log"), job.get("isolation"))
        os.environ.update(job.get("env") or {})
        os.chdir(job["cwd"])
        import torch

        torch.set_num_threads(int(job.get("threads", 1)))
        import pytest

        from grading.plugin import ResultsPlugin

        plugin = ResultsPlugin(write_fd, job.get("select"), sandbox_problems, job.get("canary"))
        code = pytest.main(job["args"], plugins=[plugin])
        os._exit(int(code))
    except BaseException:  # noqa: BLE001 - whatever happens, the child must not return into the warm loop
        try:
            import traceback

            traceback.print_exc()  # into the job's log: fd 2 points there once the sandbox is entered
            sys.stderr.flush()
        finally:
            os._exit(70)


def _refuse(constant: str) -> None:
    raise ValueError(f"{constant} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"{text} overflows")
    return value


def _shallow(record: dict, depth: int = 4) -> bool:
    """No record the plugin writes nests deeper than 3; a deeper one could overflow the grader's parser."""
    level = [record]
    for _ in range(depth):
        level = [item for value in level if isinstance(value, (dict, list))
                 for item in (value.values() if isinstance(value, dict) else value)]
    return not any(isinstance(value, (dict, list)) for value in level)


def wrap(job: int, line: bytes) -> dict:
    """One line a child wrote -> the record the grader hears: a `child` record, or `garbled`. Shared with
    grading.spawn, the no-fork transport, so both paths hand grading.channel exactly the same events."""
    record = None
    if len(line) <= LINE_LIMIT:
        try:
            record = json.loads(line, parse_constant=_refuse, parse_float=_finite)
        except (ValueError, RecursionError):  # RecursionError: "[[[[..." nested past the stack
            pass
    if isinstance(record, dict) and _shallow(record):
        return {"job": job, "event": "child", "record": record}
    return {"job": job, "event": "garbled", "line": line[:200].decode("utf-8", "replace")}


class WarmProcess:
    def __init__(self, concurrency: int, later: list[str] | None = None) -> None:
        self.concurrency = concurrency
        self.later = deque(later or ())  # modules still to import, one at a time, while nothing else is to do
        self.selector = selectors.DefaultSelector()
        self.pending: deque[dict] = deque()
        self.children: dict[int, dict] = {}  # pid -> {"job", "fd", "buffer", "skipping", "eof", "status", ...}
        self.stdin_open = True
        self._stdin_buffer = b""
        self.selector.register(0, selectors.EVENT_READ, None)

    def send(self, record: dict) -> None:
        sys.stdout.write(json.dumps(record) + "\n")
        sys.stdout.flush()

    def start(self, job: dict) -> None:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(read_fd)
                for child in self.children.values():
                    if not child["eof"]:  # an EOF'd pipe is already closed
                        os.close(child["fd"])
            finally:
                _run_child(job, write_fd)  # never returns
        os.close(write_fd)
        self.children[pid] = {"job": job["job"], "fd": read_fd, "buffer": b"", "skipping": False, "eof": False,
                              "status": None,
                              "own_user": bool(job.get("isolation")) and os.geteuid() == 0}
        self.selector.register(read_fd, selectors.EVENT_READ, pid)
        self.send({"job": job["job"], "event": "forked", "pid": pid})

    def _read_stdin(self) -> None:
        data = os.read(0, 65536)
        if not data:
            self.stdin_open = False
            self.selector.unregister(0)
            return
        self._stdin_buffer += data
        *lines, self._stdin_buffer = self._stdin_buffer.split(b"\n")
        self.pending.extend(json.loads(line) for line in lines if line.strip())

    def _read_child(self, pid: int) -> None:
        child = self.children[pid]
        data = os.read(child["fd"], 1 << 16)
        if not data:
            child["eof"] = True
            self.selector.unregister(child["fd"])
            os.close(child["fd"])
            return
        *lines, rest = (child["buffer"] + data).split(b"\n")
        if child["skipping"] and lines:  # the tail of an overlong line, already reported
            lines.pop(0)
            child["skipping"] = False
        if len(rest) > LINE_LIMIT:  # no end in sight: report it now and drop the rest of it as it comes
            lines += [] if child["skipping"] else [rest]
            rest, child["skipping"] = b"", True
        child["buffer"] = rest
        for line in lines:
            self.send(wrap(child["job"], line))

    def _reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            if pid in self.children:
                self.children[pid]["status"] = status
                self.children[pid]["reaped_at"] = time.monotonic()
                try:  # whatever the child left running (sleepers, a process flood) goes with it
                    os.killpg(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
                if self.children[pid]["own_user"]:  # and so does whatever left its process group
                    sandbox.kill_user(sandbox.job_uid(pid))
        for pid, child in list(self.children.items()):
            if child["status"] is not None and not child["eof"] and \
                    time.monotonic() - child["reaped_at"] > EOF_GRACE_SECONDS:
                # a grandchild that escaped the process group still holds the pipe: stop listening to it
                self.selector.unregister(child["fd"])
                os.close(child["fd"])
                child["eof"] = True
            if child["eof"] and child["status"] is not None:
                status = child["status"]
                self.send({
                    "job": child["job"],
                    "event": "exited",
                    "status": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
                    "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
                })
                del self.children[pid]

    def serve(self) -> None:
        while self.stdin_open or self.pending or self.children:
            while self.pending and len(self.children) < self.concurrency:
                self.start(self.pending.popleft())
            idle = self.later and not (self.pending or self.children)
            for key, _ in self.selector.select(timeout=0 if idle else 0.05):
                if key.data is None:
                    self._read_stdin()
                else:
                    self._read_child(key.data)
            self._reap()
            if idle and not self.pending:
                _import(self.later.popleft())


def main() -> None:
    """`python -m grading.warm CONCURRENCY [--lazy]`: with --lazy (the learner's loop, where the first answer
    counts) the first child is forked once the essentials are in, and the rest is imported while idle."""
    concurrency = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    lazy = "--lazy" in sys.argv[2:]
    # OpenBLAS starts a pool of threads when numpy loads, unless told one is enough: this process forks, and
    # forking a process with other threads may deadlock the child (Python 3.12 warns of it)
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    if lazy:
        _import(*ESSENTIAL_MODULES)
    else:
        _import(*ESSENTIAL_MODULES, *LATER_MODULES)
    WarmProcess(concurrency, later=list(LATER_MODULES) if lazy else None).serve()
    sys.stdout.flush()
    os._exit(0)  # every child is reaped: tearing down torch's interpreter state would only cost a second


if __name__ == "__main__":
    main()
