"""Run pytest jobs in child processes, and decide each expected test's result here.

The child reports what it saw; this side knows what was expected. A test with no result is failed with the
reason (timed out, crashed, exited early), and the tests after it run again in a new child, so one crash or
hang never costs another test its result. Pids and exits come from the transport that started the child, time
limits from the grader's own collection; every line a child writes is checked by grading.channel, and a child
caught saying what no honest run says is killed, its exercise flagged, and the rest run again in a fresh child.

Two transports start the children, behind one interface (`Transport`): WarmClient, the fork path (a warm
process that imports torch once and forks a sandboxed child per job), and grading.spawn.SpawnClient, the
no-fork path for Windows and macOS (a fresh, unsandboxed Python per job: slower, and every graded job's notes
say it ran without the sandbox). `default_transport()` picks one; everything else here is the same for both.
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
from typing import Callable, Protocol

from grading import channel, sandbox, spawn
from grading.manifest import PACK_ROOT

GRACE_SECONDS = 10.0  # on top of pytest-timeout's own limit, before the grader kills a child itself
HARD_FAILURES_PER_EXERCISE = 2  # crashes or hangs before the rest of that exercise's tests are given up
PYTEST_TIMEOUT = "Timeout (>"  # how pytest-timeout's failure message begins ("Failed: Timeout (>60.0s) from ...")
WARM_RESTARTS_PER_JOB = 3  # warm processes that may die under one job before its unfinished tests are failed
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
    output: str = ""  # the traceback of a failure, else what the test printed
    duration: float = 0.0
    printed: str = ""  # what the test printed (stdout, stderr, logging), pass or fail


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
    # copies the submission into a folder (each attempt's own home, just before it runs): the run's target
    stage: Callable[[Path], object] | None = None
    hide: list[str] = field(default_factory=list)  # more folders an isolated child must not see (the originals)
    # the grader's own collection of the selected tests (their exercise, timeout marker...); a collect-only job,
    # or an unisolated one given none, fills it in from its child
    collected: dict[str, dict] = field(default_factory=dict)
    # filled in by the run
    results: dict[str, TestResult] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tampered: dict[str, list[str]] = field(default_factory=dict)  # node id -> what was tampered with
    hard_failures: dict[str, int] = field(default_factory=dict)  # exercise -> crashes and hangs so far
    warm_restarts: int = 0  # warm processes that died while one of this job's children ran

    def pytest_args(self, target: Path | None = None) -> list[str]:
        args = [
            "-c", str(PACK_ROOT / "pyproject.toml"),
            "--rootdir", str(PACK_ROOT),
            "-p", "no:cacheprovider",
            "-p", "pytest_timeout",
            "-p", "xdist.plugin",  # plugin autoload is off in the child; the pack's addopts name --dist
            "-q",
            "--target", str(target or self.target),
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
    solo: bool = False  # run with no other child beside it (a warm process died with several tests running)
    home: str | None = None
    sequence: channel.Sequence | None = None
    takes_collection: bool = False  # may the child's `collected` lines fill job.collected?
    broken: bool = False  # the child said what no honest run says: nothing more it writes is believed
    last_started: str | None = None
    stop: bool = False  # an exercise was given up while this child still had its tests to run: stop it

    def expected(self) -> list[str]:
        return self.select if self.select is not None else list(self.job.collected)

    def prepare(self, home_root: str, test_timeout: float) -> dict:
        """Home, staged copy, canary and channel check of this attempt; returns its pytest args and isolation."""
        job = self.job
        target, isolation = job.target, None
        if job.isolated or job.stage is not None:
            self.home = tempfile.mkdtemp(prefix=f"job{self.wire_id}-", dir=home_root)
        if job.stage is not None:  # copied now, into a folder only this attempt's user can enter, removed after
            target = Path(self.home) / "submission"
            target.mkdir()
            job.stage(target)
        args = job.pytest_args(target) + [f"--timeout={test_timeout:g}"]
        if job.isolated:
            hide = [str(PACK_ROOT / path) for path in HIDDEN_FROM_SUBMISSIONS] + job.hide
            isolation = {"home": self.home, "hide": hide}
            if not job.collect_only:
                self.canary = f"test_{secrets.token_hex(6)}"
                canary_file = Path(self.home) / f"{self.canary}.py"
                canary_file.write_text(CANARY_TEST.format(name=self.canary))
                args.append(str(canary_file))  # last: it runs after every submission file was loaded
        # an isolated job's collection is the grader's own; a child may only describe a job nobody described
        self.takes_collection = job.collect_only or (not job.collected and not (job.isolated and self.select))
        known = self.select if self.select is not None else (list(job.collected) or None)
        self.sequence = channel.Sequence(known, self.canary, job.collect_only)
        return {"args": args, "isolation": isolation, "canary": self.canary}

    def hear(self, event: dict, test_timeout: float) -> str | None:
        """One event from the warm process: "exited", "lie" or "stop" (the caller kills the child), or None."""
        kind = event.get("event")
        if kind == "forked":  # fork's own return value, sent by the warm process
            self.pid = event.get("pid")
        elif kind == "exited":  # from waitpid in the warm process
            self.exit_status, self.exit_signal = event.get("status"), event.get("signal")
            return "exited"
        elif not self.broken:
            record = event.get("record")
            problem = self.sequence.problem(record) if kind == "child" else \
                f"a line that is not a JSON object: {channel.one_line(repr(event.get('line', '')), 80)}"
            if problem is None:
                try:
                    self.apply(record, test_timeout)
                except Exception as err:  # noqa: BLE001 - a checked line should never get here; if one does, no crash
                    problem = f"a {record.get('event')} line the grader could not use ({type(err).__name__})"
            if problem is not None:
                self.break_channel(problem)
                return "lie"
            if self.stop and not self.killed_for:  # nothing untrue: the rest of this run reruns without those tests
                self.killed_for = "stopped: an exercise was given up"
                return "stop"
        return None

    def blame_current(self) -> None:
        """The child ended inside a test: that test fails with the reason."""
        job, nodeid = self.job, self.current
        if self.stop:  # stopped by the grader between tests: whatever had just started runs again, unblamed
            return
        if nodeid is None:
            self._distrust_a_pass_before_an_exit()
        if nodeid is None or nodeid in job.results:
            return
        phases = self.phases.get(nodeid, [])
        result = combine_phases(nodeid, phases) if phases else None
        reason = self.why_no_result()
        message = reason if result is None or result.status == "passed" else f"{result.message}; then {reason}"
        job.results[nodeid] = TestResult(nodeid, "error", message)
        self.finished_tests += 1
        _give_up_after_repeated_failures(job, nodeid, reason)

    def _distrust_a_pass_before_an_exit(self) -> None:
        """An honest child ends its run with `finished`, or dies inside a test. One that exits right after a test
        was reported passed may have written that report itself (and then left before the real one came)."""
        last = self.last_started
        result = self.job.results.get(last) if last else None
        if result is None or result.status != "passed" or self.killed_for or self.sequence is None \
                or self.sequence.finished:
            return
        self.job.results[last] = TestResult(last, "error", "the test process ended right after this test was "
                                            "reported passed, without finishing its run: the result is not trusted")

    def why_no_result(self) -> str:
        if self.killed_for:
            return self.killed_for
        if self.exit_signal:
            return f"the test process crashed (killed by {signal.Signals(self.exit_signal).name})"
        return f"the test process exited early with status {self.exit_status} (os._exit or sys.exit?)"

    def unfinished(self) -> list[str] | None:
        """What a new attempt must run: the expected tests without a result (None: the whole job again)."""
        if self.job.collect_only or (self.select is None and not self.job.collected):
            return self.select
        return [nodeid for nodeid in self.expected() if nodeid not in self.job.results]

    def apply(self, record: dict, test_timeout: float) -> None:
        """One checked child record -> the job's state. No pid, exit or time limit is taken from it."""
        job, kind = self.job, record["event"]
        if kind == "collected" and self.takes_collection:
            job.collected.setdefault(record["nodeid"], record)
        elif kind == "collecterror":
            job.problems.append(f"collection error in {record['nodeid']}: {record['message']}")
        elif kind == "start":
            self.current = self.last_started = record["nodeid"]
            self.started_at = time.monotonic()
            self.current_timeout = max(test_timeout, job.collected.get(self.current, {}).get("timeout") or 0)
            self.phases[self.current] = []
        elif kind == "report":
            self._report(record)
        elif kind == "tamper":
            job.tampered.setdefault(record["nodeid"] or "session", []).extend(record["what"])
        elif kind == "sandbox":
            job.notes.extend(f"sandbox: {problem}" for problem in record["problems"])

    def _report(self, record: dict) -> None:
        job, nodeid = self.job, record["nodeid"]
        phases = self.phases.setdefault(nodeid, [])
        phases.append(record)
        if record["when"] != "teardown":
            return
        self.current = None
        if self.canary and nodeid.endswith("::" + self.canary):
            if combine_phases(nodeid, phases).status != "failed":
                job.tampered.setdefault("canary", []).append("a canary test that must fail was reported passed")
            return
        result = job.results[nodeid] = combine_phases(nodeid, phases)
        self.finished_tests += 1
        if PYTEST_TIMEOUT in result.message:  # a hang pytest-timeout caught counts like one the grader killed
            pending = [other for other in self.expected() if other not in job.results]
            exercise = _give_up_after_repeated_failures(job, nodeid, "timed out")
            self.stop |= exercise is not None and any(
                job.collected.get(other, {}).get("exercise") == exercise for other in pending)

    def break_channel(self, reason: str) -> None:
        """A line no honest child writes: flag the exercise it came in, fail the rest of that exercise, stop
        listening (the caller kills the child; the other exercises' tests run again in a fresh one)."""
        job, nodeid = self.job, self.current or self.last_started
        exercise = job.collected.get(nodeid, {}).get("exercise") if nodeid else None
        job.tampered.setdefault(nodeid if exercise else "results channel", []).append(f"results channel: {reason}")
        self.broken, self.killed_for = True, f"results channel broken ({reason})"
        for other in self.expected():
            if exercise and other != self.current and other not in job.results \
                    and job.collected.get(other, {}).get("exercise") == exercise:
                job.results[other] = TestResult(other, "error", "not run: results channel broken")
                self.finished_tests += 1


def combine_phases(nodeid: str, phases: list[dict]) -> TestResult:
    """setup/call/teardown reports -> one result, as pytest's own summary would count it."""
    duration = sum(phase.get("duration", 0.0) for phase in phases)
    output = "".join(phase.get("output", "") for phase in phases if phase.get("when") == "call")
    for phase in phases:
        if phase["outcome"] == "failed":
            status = "failed" if phase["when"] == "call" else "error"
            return TestResult(nodeid, status, phase.get("message", ""), phase.get("longrepr", "") or output, duration,
                              output)
    for phase in phases:
        if phase["outcome"] == "skipped":
            return TestResult(nodeid, "skipped", phase.get("message", ""), "", duration)
    return TestResult(nodeid, "passed", "", output, duration, output)


def _give_up_after_repeated_failures(job: Job, nodeid: str, reason: str) -> str | None:
    """A crash or hang rarely stays alone: after a few, fail the rest of that exercise without running it.
    Returns the exercise when it was given up."""
    exercise = job.collected.get(nodeid, {}).get("exercise")
    if exercise is None:
        return None
    job.hard_failures[exercise] = job.hard_failures.get(exercise, 0) + 1
    if job.hard_failures[exercise] < HARD_FAILURES_PER_EXERCISE:
        return None
    for other, record in job.collected.items():
        if record.get("exercise") == exercise and other not in job.results:
            job.results[other] = TestResult(other, "error", f"not run: this exercise's tests kept failing hard "
                                                            f"({reason})")
    return exercise


def kill(attempt: _Attempt, spare: tuple[int, ...] = ()) -> None:
    """SIGKILL that attempt's own processes: its process group and, isolated, every process of its user.
    The pid is fork's return value, never a child's word; even so, never pid <= 1, us or `spare` (the warm one)."""
    pid = attempt.pid
    if pid is None or pid <= 1 or pid in (os.getpid(), os.getpgrp(), *spare):
        return
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if attempt.job.isolated and os.geteuid() == 0:
        sandbox.kill_user(sandbox.job_uid(pid))


class Transport(Protocol):
    """What the Runner needs of whatever starts its children (WarmClient, grading.spawn.SpawnClient).

    `submit` takes a job record (grading.warm's stdin format) and starts it when one of `concurrency` slots is
    free; `events` returns the records heard within `timeout` seconds: `forked` (the pid, from the code that
    started the child), `child`/`garbled` (each line the child wrote, wrapped), `exited` (status or signal, from
    the code that waited for it). `alive` turns False when a shared parent died (the Runner then reruns what it
    held); `kill` ends one attempt's processes; `abort` every child at once (Ctrl-C); `sandboxed` says whether
    children run inside grading.sandbox.
    """

    sandboxed: bool
    alive: bool

    def submit(self, record: dict) -> None: ...
    def events(self, timeout: float) -> list[dict]: ...
    def kill(self, attempt: _Attempt) -> None: ...
    def abort(self) -> None: ...
    def close(self) -> None: ...


class WarmClient:
    """The grader's handle on a grading.warm subprocess: the fork path, children in the sandbox."""

    sandboxed = True

    def __init__(self, concurrency: int, lazy_imports: bool = False) -> None:
        env = {**os.environ, "PYTHONPATH": str(PACK_ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "grading.warm", str(concurrency), *(["--lazy"] if lazy_imports else [])],
            cwd=PACK_ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True,
        )
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.process.stdout, selectors.EVENT_READ)
        self._buffer = b""
        self.alive = True

    def submit(self, record: dict) -> None:
        try:
            self.process.stdin.write((json.dumps(record) + "\n").encode())
            self.process.stdin.flush()
        except OSError:  # it died: the run loop sees that and starts the attempts it held again
            self.alive = False

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

    def kill(self, attempt: _Attempt) -> None:
        kill(attempt, spare=(self.process.pid,))

    def abort(self) -> None:
        self.process.kill()  # the warm process; its children's process groups go in Runner.close

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


def default_transport() -> Callable[..., Transport]:
    """The fork path where fork is safe; else (Windows, macOS, TORCH_KATA_NO_FORK=1) a fresh Python per job."""
    return spawn.SpawnClient if spawn.no_fork_reason() else WarmClient


class Runner:
    """Submits jobs to a transport (by default the warm process, see `default_transport`) and turns its events
    into per-test results.

    `concurrency` children run at once, each test limited to `test_timeout` seconds (or its timeout marker, if
    longer) plus `grace` before the grader kills the child itself, the whole run to `run_timeout`. Without the
    sandbox (the no-fork transport), every isolated job gets a note saying so, and the report carries it.
    """

    def __init__(self, concurrency: int = 2, test_timeout: float = 60.0, run_timeout: float = 3600.0,
                 threads_per_child: int | None = None, grace: float = GRACE_SECONDS,
                 lazy_imports: bool = False, transport: Callable[..., Transport] | None = None) -> None:
        """lazy_imports: fork the first child as soon as torch is in, and import the rest between jobs (the
        learner's loop, where the first answer counts); a batch wants every module in before its first fork."""
        self.transport = transport or default_transport()
        self.concurrency = max(1, concurrency)
        self.lazy_imports = lazy_imports
        self.test_timeout = test_timeout
        self.grace = grace
        self.run_timeout = run_timeout
        self.threads = threads_per_child or max(1, (os.cpu_count() or 1) // self.concurrency)
        self.client: Transport | None = None
        self._next_id = 0
        self._log_dir = tempfile.mkdtemp(prefix="torch-kata-logs-")
        self._home_root = tempfile.mkdtemp(prefix="torch-kata-homes-")
        self._held: list[_Attempt] = []  # attempts waiting for one that must run alone
        self._active: dict[int, _Attempt] = {}  # wire id -> the attempt a child of the warm process runs
        os.chmod(self._home_root, 0o755)  # pytest lists the folder of the canary file it is given

    def __enter__(self) -> "Runner":
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is KeyboardInterrupt and self.client is not None:  # Ctrl-C: nothing to wait for
            self.client.abort()
        self.close()

    def close(self) -> None:
        """Stop the transport (the warm process) and remove the children's logs and home folders."""
        for attempt in self._active.values():  # a run that ended in an exception: its children go too
            self._kill(attempt)
        self._active = {}
        if self.client is not None:
            self.client.close()
            self.client = None
        for folder in (self._log_dir, self._home_root):
            shutil.rmtree(folder, ignore_errors=True)

    def _client(self) -> Transport:
        if self.client is None:  # a dead one is replaced by _warm_died, once it has settled the attempts it held
            self.client = self.transport(self.concurrency, lazy_imports=self.lazy_imports)
        return self.client

    def _submit(self, attempt: _Attempt, active: dict[int, _Attempt]) -> None:
        """Queue an attempt: it starts as soon as no attempt that must run alone is in the way."""
        self._held.append(attempt)
        self._release(active)

    def _release(self, active: dict[int, _Attempt]) -> None:
        while self._held and not any(other.solo for other in active.values()):
            if self._held[0].solo and active:
                break
            self._send(self._held.pop(0), active)

    def _send(self, attempt: _Attempt, active: dict[int, _Attempt]) -> None:
        self._next_id += 1
        attempt.wire_id = self._next_id
        client = self._client()
        if attempt.job.isolated and not client.sandboxed:  # said by the grader, which knows: not by the child
            note = spawn.NO_SANDBOX_NOTE.format(reason=spawn.no_fork_reason() or "the caller's choice")
            attempt.job.notes += [] if note in attempt.job.notes else [note]
        client.submit({
            "job": attempt.wire_id,
            **attempt.prepare(self._home_root, self.test_timeout),
            "cwd": str(PACK_ROOT),
            "select": attempt.select,
            "limits": attempt.job.limits,
            "threads": self.threads,
            "log": os.path.join(self._log_dir, f"job{attempt.wire_id}.log"),
        })
        active[attempt.wire_id] = attempt

    def run(self, jobs: list[Job], on_finished: Callable[[Job], object] | None = None) -> list[Job]:
        """Run every job to the end; `on_finished(job)` is called as each one completes."""
        active = self._active = {}
        self._held = []
        for job in jobs:
            self._submit(_Attempt(job, job.select), active)
        deadline = time.monotonic() + self.run_timeout
        while active or self._held:
            client = self._client()
            for event in client.events(timeout=0.5):
                attempt = active.get(event.get("job"))
                if attempt is not None and self._handle(attempt, event):
                    del active[attempt.wire_id]
                    self._end(attempt, active, on_finished)
            if not client.alive:
                self._warm_died(active, on_finished)
            self._release(active)
            self._watchdog(active, deadline)
        return jobs

    def _end(self, attempt: _Attempt, active: dict[int, _Attempt], on_finished) -> None:
        """An attempt is over: remove its home, then rerun what it did not reach, or call the job finished."""
        if attempt.home:
            shutil.rmtree(attempt.home, ignore_errors=True)
        if not self._continue(attempt, active) and on_finished:
            on_finished(attempt.job)

    def _handle(self, attempt: _Attempt, event: dict) -> bool:
        """Apply one event from the warm process; True when the attempt's child has exited."""
        heard = attempt.hear(event, self.test_timeout)
        if heard in ("lie", "stop"):
            self._kill(attempt)
        return heard == "exited"

    def _kill(self, attempt: _Attempt) -> None:
        if self.client is not None:  # none: the transport that started its children has already ended them
            self.client.kill(attempt)

    def _warm_died(self, active: dict[int, _Attempt], on_finished) -> None:
        """The warm process died (a child killed it, or the kernel did): every attempt it held runs again in a new
        one. With one test running, that test is to blame; with several, each of their jobs reruns alone, so the
        next death names its culprit. A job under which it died WARM_RESTARTS_PER_JOB times is given up."""
        attempts = list(active.values())
        active.clear()
        for attempt in attempts:
            self._kill(attempt)  # the children outlive their parent: they and whatever they started
        self.client.close()
        self.client = None
        running = [attempt for attempt in attempts if attempt.pid is not None and attempt.current is not None]
        nothing_forked = all(attempt.pid is None for attempt in attempts)  # it died by itself: count that too
        for attempt in attempts:
            job = attempt.job
            job.warm_restarts += attempt.pid is not None or nothing_forked
            if job.warm_restarts > WARM_RESTARTS_PER_JOB:
                for nodeid in attempt.unfinished() or []:
                    job.results[nodeid] = TestResult(nodeid, "error", "no result: the grading process was killed")
                attempt.select = []  # nothing left to rerun
            if running == [attempt] or job.warm_restarts > WARM_RESTARTS_PER_JOB:
                attempt.killed_for = "the grading process was killed"
                self._end(attempt, active, on_finished)
            else:
                if attempt.home:
                    shutil.rmtree(attempt.home, ignore_errors=True)
                self._submit(_Attempt(job, attempt.unfinished(), solo=attempt in running and len(running) > 1),
                             active)

    def _continue(self, attempt: _Attempt, active: dict[int, _Attempt]) -> bool:
        """After a child ends: blame the test it died in, and rerun whatever it never reached (True if so)."""
        job = attempt.job
        attempt.blame_current()
        failed = any(result.status in ("failed", "error") for result in job.results.values())
        if job.collect_only or (job.stop_at_first_failure and failed):
            return False
        remaining = [nodeid for nodeid in attempt.expected() if nodeid not in job.results]
        if not remaining:
            return False
        if attempt.finished_tests == 0:  # no progress: running it again would end the same way
            reason = attempt.why_no_result()
            for nodeid in remaining:
                job.results[nodeid] = TestResult(nodeid, "error", f"no result: {reason}")
            return False
        self._submit(_Attempt(job, remaining), active)
        return True

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
            self._kill(attempt)
