"""Run pytest jobs in children of the warm process, and decide each expected test's result here.

The child reports what it saw; this side knows what was expected. A test with no result is failed with the
reason (timed out, crashed, exited early), and the tests after it run again in a new child, so one crash or
hang never costs another test its result.
"""

from __future__ import annotations

import json
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from grading.manifest import PACK_ROOT

GRACE_SECONDS = 10.0  # on top of pytest-timeout's own limit, before the grader kills a child itself
HARD_FAILURES_PER_EXERCISE = 2  # crashes or hangs before the rest of that exercise's tests are given up
HIDDEN_FROM_SUBMISSIONS = ("solutions", "tests/variants", ".git")
CANARY_TEST = """\
def {name}():
    # A tripwire: this test must fail. If the grader ever hears that it passed, reporting was tampered with.
    assert False, "canary"
"""


@dataclass
class TestResult:
    __test__ = False  # a record, not a pytest test class

    nodeid: str
    status: str  # passed | failed | error | skipped
    message: str = ""
    output: str = ""
    duration: float = 0.0


@dataclass
class Job:
    """One pytest invocation: some test files against one target folder."""

    label: str
    target: Path
    files: list[Path]
    select: list[str] | None = None  # node ids to run; None runs what the files collect
    variant: Path | None = None
    extra_args: list[str] = field(default_factory=list)
    limits: dict = field(default_factory=dict)
    collect_only: bool = False
    stop_at_first_failure: bool = False
    isolated: bool = False  # grade untrusted code: namespaces, hidden instructor folders, `nobody`, a canary
    # filled in by the run
    collected: dict[str, dict] = field(default_factory=dict)
    results: dict[str, TestResult] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tampered: dict[str, list[str]] = field(default_factory=dict)  # node id -> what was tampered with
    hard_failures: dict[str, int] = field(default_factory=dict)  # exercise -> crashes and hangs so far

    def pytest_args(self) -> list[str]:
        args = [
            "-c", str(PACK_ROOT / "pyproject.toml"),
            "--rootdir", str(PACK_ROOT),
            "-p", "no:cacheprovider",
            "-p", "pytest_timeout",
            "-p", "xdist.plugin",  # plugin autoload is off in the child; the pack's addopts name --dist
            "-q",
            "--target", str(self.target),
        ]
        if self.variant is not None:
            args += ["--variant", str(self.variant)]
        if self.collect_only:
            args.append("--collect-only")
        if self.stop_at_first_failure:
            args.append("-x")
        return args + self.extra_args + [str(path) for path in self.files]


@dataclass
class _Attempt:
    job: Job
    select: list[str] | None
    wire_id: int = 0
    pid: int | None = None
    current: str | None = None
    started_at: float = 0.0
    phases: dict[str, list[dict]] = field(default_factory=dict)
    killed_for: str | None = None
    finished_tests: int = 0
    exit_status: int | None = None
    exit_signal: int | None = None
    canary: str | None = None
    current_timeout: float = 0.0  # the running test's own limit: the run's, or its timeout marker's if longer


def combine_phases(nodeid: str, phases: list[dict]) -> TestResult:
    """setup/call/teardown reports -> one result, as pytest's own summary would count it."""
    duration = sum(phase.get("duration", 0.0) for phase in phases)
    output = "".join(phase.get("output", "") for phase in phases if phase.get("when") == "call")
    for phase in phases:
        if phase["outcome"] == "failed":
            status = "failed" if phase["when"] == "call" else "error"
            return TestResult(nodeid, status, phase.get("message", ""), phase.get("longrepr", "") or output, duration)
    for phase in phases:
        if phase["outcome"] == "skipped":
            return TestResult(nodeid, "skipped", phase.get("message", ""), "", duration)
    return TestResult(nodeid, "passed", "", output, duration)


class WarmClient:
    """The grader's handle on a grading.warm subprocess."""

    def __init__(self, concurrency: int) -> None:
        env = {**os.environ, "PYTHONPATH": str(PACK_ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "grading.warm", str(concurrency)],
            cwd=PACK_ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True,
        )
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.process.stdout, selectors.EVENT_READ)
        self._buffer = b""
        self.alive = True

    def submit(self, record: dict) -> None:
        self.process.stdin.write((json.dumps(record) + "\n").encode())
        self.process.stdin.flush()

    def events(self, timeout: float) -> list[dict]:
        if not self.selector.select(timeout):
            return []
        data = os.read(self.process.stdout.fileno(), 1 << 16)
        if not data:
            self.alive = False
            return []
        self._buffer += data
        *lines, self._buffer = self._buffer.split(b"\n")
        return [json.loads(line) for line in lines if line.strip()]

    def close(self) -> None:
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Runner:
    """Submits jobs to a warm process and turns its events into per-test results."""

    def __init__(self, concurrency: int = 2, test_timeout: float = 60.0, run_timeout: float = 3600.0,
                 threads_per_child: int | None = None, grace: float = GRACE_SECONDS) -> None:
        self.concurrency = max(1, concurrency)
        self.test_timeout = test_timeout
        self.grace = grace
        self.run_timeout = run_timeout
        self.threads = threads_per_child or max(1, (os.cpu_count() or 1) // self.concurrency)
        self.client: WarmClient | None = None
        self._next_id = 0
        self._log_dir = tempfile.mkdtemp(prefix="torch-kata-logs-")
        self._home_root = tempfile.mkdtemp(prefix="torch-kata-homes-")
        os.chmod(self._home_root, 0o755)  # pytest lists the folder of the canary file it is given

    def __enter__(self) -> "Runner":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop the warm process and remove the children's logs and home folders."""
        if self.client is not None:
            self.client.close()
            self.client = None
        for folder in (self._log_dir, self._home_root):
            shutil.rmtree(folder, ignore_errors=True)

    def _client(self) -> WarmClient:
        if self.client is None or not self.client.alive:
            if self.client is not None:
                self.client.close()
            self.client = WarmClient(self.concurrency)
        return self.client

    def _submit(self, attempt: _Attempt, active: dict[int, _Attempt]) -> None:
        self._next_id += 1
        attempt.wire_id = self._next_id
        job = attempt.job
        args, isolation, canary = job.pytest_args() + [f"--timeout={self.test_timeout:g}"], None, None
        if job.isolated:
            home = tempfile.mkdtemp(prefix=f"job{attempt.wire_id}-", dir=self._home_root)
            isolation = {"home": home, "hide": [str(PACK_ROOT / path) for path in HIDDEN_FROM_SUBMISSIONS]}
            if not job.collect_only:
                canary = f"test_{secrets.token_hex(6)}"
                canary_file = Path(home) / f"{canary}.py"
                canary_file.write_text(CANARY_TEST.format(name=canary))
                args.append(str(canary_file))  # last: it runs after every submission file was loaded
        self._client().submit({
            "job": attempt.wire_id,
            "args": args,
            "cwd": str(PACK_ROOT),
            "select": attempt.select,
            "canary": canary,
            "limits": job.limits,
            "threads": self.threads,
            "isolation": isolation,
            "log": os.path.join(self._log_dir, f"job{attempt.wire_id}.log"),
        })
        attempt.canary = canary
        active[attempt.wire_id] = attempt

    def run(self, jobs: list[Job], on_finished=None) -> list[Job]:
        """Run every job to the end; `on_finished(job)` is called as each one completes."""
        active: dict[int, _Attempt] = {}
        for job in jobs:
            self._submit(_Attempt(job, job.select), active)
        deadline = time.monotonic() + self.run_timeout
        while active:
            client = self._client()
            for event in client.events(timeout=0.5):
                attempt = active.get(event.get("job"))
                if attempt is not None and self._handle(attempt, event):
                    del active[attempt.wire_id]
                    if not self._continue(attempt, active) and on_finished:
                        on_finished(attempt.job)
            if not client.alive:  # the warm process itself died (a child killed its parent): start again
                for attempt in list(active.values()):
                    attempt.killed_for = attempt.killed_for or "the grading process was killed"
                    del active[attempt.wire_id]
                    if not self._continue(attempt, active) and on_finished:
                        on_finished(attempt.job)
            self._watchdog(active, deadline)
        return jobs

    def _handle(self, attempt: _Attempt, event: dict) -> bool:
        """Apply one event; True when the attempt's child has exited."""
        job, kind = attempt.job, event.get("event")
        if kind == "forked":
            attempt.pid = event["pid"]
        elif kind == "collected":
            job.collected.setdefault(event["nodeid"], event)
        elif kind == "collecterror":
            job.problems.append(f"collection error in {event['nodeid']}: {event['message']}")
        elif kind == "start":
            attempt.current, attempt.started_at = event["nodeid"], time.monotonic()
            attempt.current_timeout = max(self.test_timeout, event.get("timeout") or 0)
            attempt.phases[event["nodeid"]] = []
        elif kind == "report":
            nodeid = event["nodeid"]
            phases = attempt.phases.setdefault(nodeid, [])
            phases.append(event)
            if event["when"] == "teardown":
                attempt.current = None
                if attempt.canary and nodeid.endswith("::" + attempt.canary):
                    if combine_phases(nodeid, phases).status != "failed":
                        job.tampered.setdefault("canary", []).append("a canary test that must fail was reported passed")
                    return False
                job.results[nodeid] = combine_phases(nodeid, phases)
                attempt.finished_tests += 1
        elif kind == "tamper":
            job.tampered.setdefault(event.get("nodeid") or "session", []).extend(event.get("what", []))
        elif kind == "sandbox":
            job.notes.extend(f"sandbox: {problem}" for problem in event.get("problems", []))
        elif kind == "exited":
            attempt.exit_status, attempt.exit_signal = event.get("status"), event.get("signal")
            return True
        return False

    def _why_no_result(self, attempt: _Attempt) -> str:
        if attempt.killed_for:
            return attempt.killed_for
        if attempt.exit_signal:
            return f"the test process crashed (killed by {signal.Signals(attempt.exit_signal).name})"
        return f"the test process exited early with status {attempt.exit_status} (os._exit or sys.exit?)"

    def _continue(self, attempt: _Attempt, active: dict[int, _Attempt]) -> bool:
        """After a child ends: blame the test it died in, and rerun whatever it never reached (True if so)."""
        job = attempt.job
        if attempt.current is not None and attempt.current not in job.results:
            phases = attempt.phases.get(attempt.current, [])
            result = combine_phases(attempt.current, phases) if phases else None
            reason = self._why_no_result(attempt)
            message = f"{reason}" if result is None or result.status == "passed" else f"{result.message}; then {reason}"
            job.results[attempt.current] = TestResult(attempt.current, "error", message)
            attempt.finished_tests += 1
            self._give_up_after_repeated_failures(job, attempt.current, reason)
        failed = any(result.status in ("failed", "error") for result in job.results.values())
        if job.collect_only or (job.stop_at_first_failure and failed):
            return False
        expected = attempt.select if attempt.select is not None else list(job.collected)
        remaining = [nodeid for nodeid in expected if nodeid not in job.results]
        if not remaining:
            return False
        if attempt.finished_tests == 0:  # no progress: running it again would end the same way
            reason = self._why_no_result(attempt)
            for nodeid in remaining:
                job.results[nodeid] = TestResult(nodeid, "error", f"no result: {reason}")
            return False
        self._submit(_Attempt(job, remaining), active)
        return True

    @staticmethod
    def _give_up_after_repeated_failures(job: Job, nodeid: str, reason: str) -> None:
        """A crash or hang rarely stays alone: after a few, fail the rest of that exercise without running it."""
        exercise = job.collected.get(nodeid, {}).get("exercise")
        if exercise is None:
            return
        job.hard_failures[exercise] = job.hard_failures.get(exercise, 0) + 1
        if job.hard_failures[exercise] < HARD_FAILURES_PER_EXERCISE:
            return
        for other, record in job.collected.items():
            if record.get("exercise") == exercise and other not in job.results:
                job.results[other] = TestResult(other, "error", f"not run: this exercise's tests kept failing hard "
                                                                f"({reason})")

    def _watchdog(self, active: dict[int, _Attempt], deadline: float) -> None:
        now = time.monotonic()
        for attempt in active.values():
            if attempt.pid is None or attempt.killed_for:
                continue
            if now > deadline:
                attempt.killed_for = f"the whole run exceeded its {self.run_timeout:.0f} s limit"
            elif attempt.current and now - attempt.started_at > attempt.current_timeout + self.grace:
                attempt.killed_for = f"timed out after {attempt.current_timeout + self.grace:.0f} s (killed by the grader)"
            else:
                continue
            try:
                os.killpg(attempt.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
