#!/usr/bin/env python3
"""How fast is grading? The grader measured side by side with plain pytest, in one run, on this machine.

    python -m grading.benchmark                            # the default subset, 3 repeats
    python -m grading.benchmark --repeat 5 --exercise 03_modules/residual_block
    python -m grading.benchmark --chapter 01_tensors --only overhead,watch
    python -m grading.benchmark --all --repeat 3           # the full measurement (see below)

Five figures, each printed as min and median over the repeats, with the ratio the issue tracker targets:

  1 overhead  `python grader.py grade solutions` vs `python -m pytest --target solutions -n JOBS -q
              -p no:cacheprovider <the same visible and hidden test files>`       grader / pytest   <= 1.15
  2 watch     one re-check of `grader.py watch` (grading.learner.run_tests on a warm grading.runner.Runner,
              timed after the warm process is up) vs a cold `python -m pytest tests/<ch>/test_<name>.py
              --target solutions`                                                  watch / cold      <= 0.35
  3 batch     `grader.py grade ROOT --batch --jobs JOBS` over COPIES copies of solutions/ vs
              `grader.py grade COPY` COPIES times, one after the other          sequential / batch  >= 1.7
  4 floor     `python -c "import torch, torchvision"`, and the summed durations of the test bodies
              (setup + call + teardown, from the junit XML both sides write)     (no target)
  5 full      figure 1's grader wall time: one submission, visible and hidden tests    <= 45 s
              (the target is for every exercise: it is only checked with --all)
  6 first     a learner's first feedback: `python grader.py watch ID` started cold, to its first verdict
              line (warm process start-up, torch import and the first check; the file passes)       <= 5 s

The compared variants of a figure run interleaved inside each repeat (A B, then B A, ...), so a change in the
machine's load hits both; ratios are given as the ratio of the medians and as the median of the per-repeat
ratios. The 1-minute load average is sampled around every run and printed with the table: a ratio measured
at load 8 on 2 cores is noisy, absolute seconds more so. Exit status: 0 when every measured run worked
(even if a target was missed), 1 when a run failed or a solution did not pass.

The measured set of exercises is `--exercise ID` (repeatable), `--chapter CH` (repeatable), `--all`, or by
default DEFAULT_SUBSET: three quick exercises of different kinds. Figure 3's sequential side dominates every
run (COPIES full grader start-ups per repeat).

The full measurement is `python -m grading.benchmark --all --repeat 3`: every exercise of the manifest,
visible and hidden tests; the only run that checks figure 5's 45 s target. It took 7.5 minutes on 2 idle
cores (2026-11-22); `--only overhead,watch,floor --all` leaves figure 3 out and takes about a third of that,
`--copies 4` halves figure 3.

Nothing in the pack is changed: copies live in a temp folder that is removed at the end, and the
watch-mode figure runs grading.learner from a temp copy of the pack whose exercises/ holds the solutions.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

PACK_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PACK_ROOT))

from grading.manifest import Exercise, Manifest  # noqa: E402  (imports no torch)

DEFAULT_SUBSET = ["01_tensors/broadcasting", "03_modules/custom_linear", "04_training/train_loop"]
FIGURES = ("overhead", "watch", "batch", "floor", "first")
TARGETS = {  # figure -> (ratio name, comparison, value)
    "overhead": ("grader / pytest", "<=", 1.15),
    "watch": ("re-check / cold pytest", "<=", 0.35),
    "batch": ("sequential / batch", ">=", 1.7),
    "full": ("wall seconds", "<=", 45.0),
    "first": ("wall seconds", "<=", 5.0),
}
PYTHON = sys.executable


# ---------------------------------------------------------------------------------------------- measuring


@dataclass
class Series:
    """The wall times of one variant, repeat by repeat, and what each run reported."""

    label: str
    command: str
    seconds: list[float] = field(default_factory=list)
    load: list[float] = field(default_factory=list)
    test_seconds: list[float] = field(default_factory=list)  # summed test durations, when the run reports them
    tests: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add(self, seconds: float, load: float) -> None:
        self.seconds.append(seconds)
        self.load.append(load)

    @property
    def minimum(self) -> float:
        return min(self.seconds) if self.seconds else float("nan")

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")


def loadavg() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def timed(command: list[str], log: Path, cwd: Path = PACK_ROOT, env: dict | None = None) -> tuple[float, int, float]:
    """Run a command to the end, its output to `log`; return (wall seconds, exit status, mean load)."""
    before = loadavg()
    with open(log, "wb") as sink:
        started = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                              env=env)
        seconds = time.perf_counter() - started
    return seconds, done.returncode, (before + loadavg()) / 2


def junit_totals(path: Path) -> tuple[int, int, float]:
    """(test cases, failed or errored cases, summed case time) of a junit XML file, pytest's or the grader's."""
    root = ElementTree.parse(path).getroot()
    cases = list(root.iter("testcase"))
    bad = sum(1 for case in cases if case.find("failure") is not None or case.find("error") is not None)
    return len(cases), bad, sum(float(case.get("time", 0) or 0) for case in cases)


def tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def rel(path: Path) -> str:
    return path.relative_to(PACK_ROOT).as_posix()


def exercise_args(exercises: list[Exercise], everything: bool) -> list[str]:
    return [] if everything else [arg for e in exercises for arg in ("--exercise", e.id)]


# ---------------------------------------------------------------------------------------------- the figures


class Bench:
    def __init__(self, args: argparse.Namespace, exercises: list[Exercise], everything: bool, work: Path) -> None:
        self.args = args
        self.exercises = exercises
        self.everything = everything
        self.work = work
        self.logs = work / "logs"
        self.logs.mkdir()
        self.runs = 0
        self.failed = False

    def _log(self, name: str) -> Path:
        self.runs += 1
        return self.logs / f"{self.runs:03d}-{name}.log"

    def _problem(self, series: Series, what: str, log: Path | None = None) -> None:
        self.failed = True
        series.problems.append(what)
        say(f"  !! {series.label}: {what}" + (f"\n{textwrap.indent(tail(log), '     | ')}" if log else ""))

    # --- 1 overhead (and 5 full, and the test-body half of 4 floor) ----------------------------------------

    def overhead_series(self) -> tuple[Series, Series]:
        files = [rel(path) for e in self.exercises for path in e.test_files(hidden=True)]
        grader = Series("grader grade solutions",
                        "python grader.py grade solutions " + " ".join(exercise_args(self.exercises, self.everything)))
        pytest = Series(f"pytest -n {self.args.jobs}",
                        f"python -m pytest --target solutions -n {self.args.jobs} -q -p no:cacheprovider "
                        f"<{len(files)} test files>")
        self._overhead_files = files
        return grader, pytest

    def run_grader(self, series: Series) -> None:
        out = self.work / f"grade-{self.runs}.xml"
        log = self._log("grade")
        command = [PYTHON, "grader.py", "grade", "solutions", "--jobs", str(self.args.jobs),
                   *exercise_args(self.exercises, self.everything), "--format", "junit", "--output", str(out)]
        seconds, status, load = timed(command, log)
        series.add(seconds, load)
        if status != 0 or not out.is_file():
            return self._problem(series, f"exit status {status}", log)
        cases, bad, body = junit_totals(out)
        series.tests.append(cases)
        series.test_seconds.append(body)
        if bad:
            self._problem(series, f"{bad} of {cases} tests of the solutions did not pass (see {out})")
        say(f"  {series.label:<34} {seconds:7.1f} s  ({cases} tests, bodies {body:.1f} s, load {load:.1f})")

    def run_pytest(self, series: Series) -> None:
        out = self.work / f"pytest-{self.runs}.xml"
        log = self._log("pytest")
        command = [PYTHON, "-m", "pytest", "--target", "solutions", "-n", str(self.args.jobs), "-q",
                   "-p", "no:cacheprovider", *self._overhead_files, "--junitxml", str(out)]
        seconds, status, load = timed(command, log)
        series.add(seconds, load)
        if status != 0 or not out.is_file():
            return self._problem(series, f"exit status {status}", log)
        cases, bad, body = junit_totals(out)
        series.tests.append(cases)
        series.test_seconds.append(body)
        say(f"  {series.label:<34} {seconds:7.1f} s  ({cases} tests, bodies {body:.1f} s, load {load:.1f})")

    # --- 2 watch ---------------------------------------------------------------------------------------------

    def watch_pack(self) -> Path:
        """A copy of the pack whose exercises/ holds the solutions: the learner who has just saved a correct file."""
        pack = self.work / "pack"
        if pack.is_dir():
            return pack
        ignore = shutil.ignore_patterns("__pycache__", ".pytest_cache")
        shutil.copytree(PACK_ROOT / "grading", pack / "grading", ignore=ignore)
        shutil.copytree(PACK_ROOT / "tests", pack / "tests", ignore=shutil.ignore_patterns(
            "__pycache__", ".pytest_cache", "variants", "pack", "hidden"))
        shutil.copytree(PACK_ROOT / "solutions", pack / "exercises", ignore=ignore)
        shutil.copyfile(PACK_ROOT / "exercises" / "manifest.toml", pack / "exercises" / "manifest.toml")
        shutil.copyfile(PACK_ROOT / "pyproject.toml", pack / "pyproject.toml")
        shutil.copyfile(PACK_ROOT / "grader.py", pack / "grader.py")
        return pack

    def start_watcher(self, exercise: Exercise) -> subprocess.Popen:
        pack = self.watch_pack()
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        watcher = subprocess.Popen([PYTHON, "-c", WATCH_DRIVER, exercise.id], cwd=pack, env=env, text=True,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=open(self._log("watch-driver"), "wb"))
        line = watcher.stdout.readline()
        if not line:
            watcher.wait()
            raise RuntimeError(f"the watch driver did not start:\n{tail(self.logs / f'{self.runs:03d}-watch-driver.log')}")
        first = json.loads(line)
        say(f"  watch: first check incl. the warm process start-up {first['seconds']:.1f} s ({first['verdict']})")
        return watcher

    def run_recheck(self, watcher: subprocess.Popen, series: Series) -> None:
        before = loadavg()
        watcher.stdin.write("go\n")
        watcher.stdin.flush()
        line = watcher.stdout.readline()
        if not line:
            series.add(float("nan"), before)
            return self._problem(series, "the watch driver died (see its log)")
        record = json.loads(line)
        load = (before + loadavg()) / 2
        series.add(record["seconds"], load)
        series.tests.append(record["tests"])
        if record["verdict"] != "done":
            self._problem(series, f"the re-check did not pass: {record['first_failure']}")
        say(f"  {series.label:<34} {record['seconds']:7.1f} s  ({record['tests']} tests, load {load:.1f})")

    def run_cold(self, exercise: Exercise, series: Series) -> None:
        log = self._log("cold")
        files = [rel(path) for path in exercise.test_files(hidden=False)]
        seconds, status, load = timed([PYTHON, "-m", "pytest", *files, "--target", "solutions"], log)
        series.add(seconds, load)
        if status != 0:
            return self._problem(series, f"exit status {status}", log)
        say(f"  {series.label:<34} {seconds:7.1f} s  (load {load:.1f})")

    # --- 6 first ----------------------------------------------------------------------------------------------

    def run_first(self, exercise: Exercise, series: Series) -> None:
        log = self._log("first")
        before = loadavg()
        seconds, line = first_feedback(self.watch_pack(), exercise, log)
        load = (before + loadavg()) / 2
        series.add(seconds, load)
        if not line.startswith("✓"):
            return self._problem(series, f"no passing verdict: {line!r}", log)
        say(f"  {series.label:<34} {seconds:7.1f} s  (load {load:.1f})")

    # --- 3 batch ---------------------------------------------------------------------------------------------

    def batch_root(self) -> Path:
        root = self.work / "batch"
        root.mkdir()
        for index in range(self.args.copies):
            shutil.copytree(PACK_ROOT / "solutions", root / f"student{index:02d}",
                            ignore=shutil.ignore_patterns("__pycache__"))
        return root

    def run_batch(self, root: Path, series: Series) -> None:
        out = self.work / f"batch-{self.runs}.json"
        log = self._log("batch")
        command = [PYTHON, "grader.py", "grade", str(root), "--batch", "--jobs", str(self.args.jobs),
                   *exercise_args(self.exercises, self.everything), "--format", "json", "--output", str(out)]
        seconds, status, load = timed(command, log)
        series.add(seconds, load)
        if status != 0 or not out.is_file():
            return self._problem(series, f"exit status {status}", log)
        reports = json.loads(out.read_text())
        for student in reports:
            bad = [f"{test['name']}: {test['status']}: {test['message'][:200]}" for exercise in student["exercises"]
                   for test in exercise["tests"] if test["status"] not in ("passed", "skipped")]
            if bad or student["flags"] or student["score"] != student["max_score"]:
                self._problem(series, f"{student['student']} scored {student['score']}/{student['max_score']} "
                                      f"(flags {student['flags']}; {'; '.join(bad[:3])}) see {out}")
        if len(reports) != self.args.copies:
            self._problem(series, f"{len(reports)} submissions graded, not {self.args.copies}")
        say(f"  {series.label:<34} {seconds:7.1f} s  (load {load:.1f})")

    def run_sequential(self, root: Path, series: Series) -> None:
        total, loads = 0.0, []
        for copy in sorted(root.iterdir()):
            out = self.work / f"seq-{self.runs}.xml"
            log = self._log("sequential")
            command = [PYTHON, "grader.py", "grade", str(copy), "--jobs", str(self.args.jobs),
                       *exercise_args(self.exercises, self.everything), "--format", "junit", "--output", str(out)]
            seconds, status, load = timed(command, log)
            total += seconds
            loads.append(load)
            if status != 0 or not out.is_file():
                self._problem(series, f"{copy.name}: exit status {status}", log)
            elif junit_totals(out)[1]:
                kept = self.work / f"seq-{self.runs}-{copy.name}.xml"
                out.rename(kept)
                self._problem(series, f"{copy.name}: not every test passed (see {kept})")
        series.add(total, statistics.mean(loads))
        say(f"  {series.label:<34} {total:7.1f} s  ({len(loads)} grades, load {statistics.mean(loads):.1f})")

    # --- 4 floor ---------------------------------------------------------------------------------------------

    def run_import(self, series: Series) -> None:
        seconds, status, load = timed([PYTHON, "-c", "import torch, torchvision"], self._log("import"))
        series.add(seconds, load)
        if status != 0:
            self._problem(series, f"exit status {status}")
        say(f"  {series.label:<34} {seconds:7.1f} s  (load {load:.1f})")


def first_feedback(pack: Path, exercise: Exercise, log: Path) -> tuple[float, str]:
    """Seconds from starting `grader.py watch ID` in `pack` to its first verdict line, and that line."""
    started = time.perf_counter()
    with open(log, "wb") as errors:
        watcher = subprocess.Popen([PYTHON, "grader.py", "watch", exercise.id], cwd=pack, text=True,
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors)
        try:
            for line in watcher.stdout:
                if line.startswith(("✓", "✗")):
                    return time.perf_counter() - started, line.strip()
            return float("nan"), "watch ended without a verdict"
        finally:
            watcher.send_signal(signal.SIGINT)  # as the learner stops it: the warm process goes with it
            try:
                watcher.wait(timeout=30)
            except subprocess.TimeoutExpired:
                watcher.kill()
                watcher.wait()


WATCH_DRIVER = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, str(Path.cwd()))
from grading import learner
from grading.manifest import Manifest
import grader

manifest = Manifest.load()
exercise = manifest.find(sys.argv[1])

def check():
    started = time.perf_counter()
    results = learner.run_tests(runner, [exercise])[exercise.id]
    seconds = time.perf_counter() - started
    record = {"seconds": seconds, "verdict": learner.verdict(results), "tests": len(results),
              "first_failure": learner.first_failure(results)[:300]}
    print(json.dumps(record), flush=True)

with grader._runner() as runner:  # the Runner `grader.py watch` uses
    check()  # the first check: starts the warm process
    for line in sys.stdin:
        if line.strip() != "go":
            break
        Path(learner.exercise_file(exercise)).touch()  # a save, as the watch loop would see it
        check()
"""


# ---------------------------------------------------------------------------------------------- reporting


def ratio(a: Series, b: Series) -> tuple[float, float, float, float]:
    """(median a / median b, median, min, max of the per-repeat ratios a_i / b_i)."""
    pairs = [x / y for x, y in zip(a.seconds, b.seconds) if y and x == x and y == y]
    if not pairs:
        return (float("nan"),) * 4
    return a.median / b.median, statistics.median(pairs), min(pairs), max(pairs)


def verdict(value: float, figure: str) -> str:
    name, op, target = TARGETS[figure]
    if value != value:
        return "n/a"
    hit = value <= target if op == "<=" else value >= target
    return f"{'ok' if hit else 'MISSED'} ({op} {target:g})"


def row(series: Series, note: str = "") -> str:
    return (f"  {series.label:<38} {len(series.seconds):>2}  {series.minimum:8.1f}  {series.median:8.1f}"
            f"  {statistics.median(series.load) if series.load else float('nan'):5.1f}  {note}")


def report(results: dict, args: argparse.Namespace, exercises: list[Exercise], everything: bool,
           elapsed: float, loads: list[float]) -> str:
    lines = []
    scope = "every exercise" if everything else f"{len(exercises)} exercise(s): {', '.join(e.id for e in exercises)}"
    lines.append(f"torch-kata grading benchmark — {scope}")
    lines.append(f"machine: {os.cpu_count()} cores, 1-min load average during the run "
                 f"min {min(loads):.1f} / median {statistics.median(loads):.1f} / max {max(loads):.1f}; "
                 f"jobs {args.jobs}, repeats {args.repeat}, Python {sys.version.split()[0]}; "
                 f"benchmark took {elapsed / 60:.1f} min")
    lines.append("")
    lines.append(f"  {'variant':<38} {'n':>2}  {'min s':>8}  {'median s':>8}  {'load':>5}")
    if "overhead" in results:
        grader, pytest = results["overhead"]
        by_medians, paired, low, high = ratio(grader, pytest)
        lines.append("1 overhead: grading solutions vs plain pytest -n, same test files")
        lines.append(row(grader, f"{grader.tests[-1] if grader.tests else '?'} tests"))
        lines.append(row(pytest, f"{pytest.tests[-1] if pytest.tests else '?'} tests"))
        lines.append(f"  ratio grader / pytest: {by_medians:.2f} (medians), per repeat {paired:.2f} "
                     f"[{low:.2f}..{high:.2f}]   {verdict(by_medians, 'overhead')}")
    if "watch" in results:
        recheck, cold = results["watch"]
        by_medians, paired, low, high = ratio(recheck, cold)
        lines.append(f"2 watch: one re-check of {results['watch_exercise']} vs a cold pytest of its visible tests")
        lines.append(row(recheck, f"{recheck.tests[-1] if recheck.tests else '?'} tests"))
        lines.append(row(cold))
        lines.append(f"  ratio re-check / cold: {by_medians:.2f} (medians), per repeat {paired:.2f} "
                     f"[{low:.2f}..{high:.2f}]   {verdict(by_medians, 'watch')}")
    if "batch" in results:
        batch, sequential = results["batch"]
        by_medians, paired, low, high = ratio(sequential, batch)
        lines.append(f"3 batch: {args.copies} copies of solutions/, --batch --jobs {args.jobs} vs one grade after another")
        lines.append(row(batch, f"{batch.median / args.copies:.1f} s per submission"))
        lines.append(row(sequential, f"{sequential.median / args.copies:.1f} s per submission"))
        lines.append(f"  throughput sequential / batch: {by_medians:.2f}x (medians), per repeat {paired:.2f}x "
                     f"[{low:.2f}..{high:.2f}]   {verdict(by_medians, 'batch')}")
    if "floor" in results:
        imports = results["floor"]
        lines.append("4 floor: what no grader can avoid")
        lines.append(row(imports))
        if "overhead" in results:
            grader, pytest = results["overhead"]
            for series, who, note in ((grader, "grader", "in warm children: torch's lazy imports preloaded"),
                                      (pytest, "pytest", "includes the lazy imports each worker's first test pays")):
                if series.test_seconds:
                    lines.append(f"  {'test bodies summed, ' + who:<38} "
                                 f"{len(series.test_seconds):>2}  {min(series.test_seconds):8.1f}  "
                                 f"{statistics.median(series.test_seconds):8.1f}         {note}")
            if grader.test_seconds:
                floor = imports.median + statistics.median(grader.test_seconds) / args.jobs
                lines.append(f"  floor for {args.jobs} jobs = import + bodies / {args.jobs} = {floor:.1f} s; "
                             f"grader median is {grader.median / floor:.2f}x that, "
                             f"{grader.median - floor:+.1f} s above it")
    if "overhead" in results:
        grader = results["overhead"][0]
        lines.append("5 full grade of one submission (figure 1's grader run)")
        lines.append(row(grader))
        if everything:
            lines.append(f"  wall time {grader.median:.1f} s (median)   {verdict(grader.median, 'full')}")
        else:
            lines.append(f"  wall time {grader.median:.1f} s for {len(exercises)} exercise(s): the 45 s target is "
                         f"for every exercise, run with --all to check it")
    if "first" in results:
        first = results["first"]
        lines.append(f"6 first feedback: `grader.py watch {results['watch_exercise']}` started cold, to its verdict")
        lines.append(row(first))
        lines.append(f"  wall time {first.median:.1f} s (median)   {verdict(first.median, 'first')}")
    every = [s for value in results.values() for s in (value if isinstance(value, tuple) else (value,))
             if isinstance(s, Series)]
    problems = [(s.label, problem) for s in every for problem in s.problems]
    if problems:
        lines.append("")
        lines.append("problems (the figures above them are not trustworthy):")
        lines += [f"  {label}: {problem}" for label, problem in problems]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------- main


def selected(manifest: Manifest, args: argparse.Namespace) -> tuple[list[Exercise], bool]:
    if args.all:
        return list(manifest), True
    chosen: list[Exercise] = []
    try:
        chosen += [manifest.find(text) for text in args.exercise]
    except KeyError as err:
        raise SystemExit(f"benchmark: {err.args[0]}") from None
    for chapter in args.chapter:
        members = [e for e in manifest if e.chapter == chapter.strip("/")]
        if not members:
            raise SystemExit(f"benchmark: no chapter {chapter!r}; chapters: {', '.join(manifest.chapters())}")
        chosen += members
    if not chosen:
        chosen = [manifest.get(exercise_id) for exercise_id in DEFAULT_SUBSET]
    chosen = list(dict.fromkeys(chosen))
    return [e for e in manifest if e in chosen], False  # teaching order, as the grader runs them


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="repeats of every figure (default 3; at least 3 "
                                                              "for a figure worth quoting)")
    parser.add_argument("--exercise", action="append", default=[], metavar="ID", help="measure this exercise "
                        "(repeatable)")
    parser.add_argument("--chapter", action="append", default=[], metavar="CH", help="measure every exercise of "
                        "this chapter (repeatable)")
    parser.add_argument("--all", action="store_true", help="measure every exercise: the full measurement")
    parser.add_argument("--only", default=",".join(FIGURES), metavar="LIST",
                        help=f"comma-separated figures to run, of {','.join(FIGURES)} (default: all; "
                             f"figure 5 comes with overhead)")
    parser.add_argument("--watch-exercise", metavar="ID", help="the exercise figure 2 re-checks (default: the "
                        "first measured one)")
    parser.add_argument("--copies", type=int, default=8, help="submissions in figure 3's batch (default 8)")
    parser.add_argument("--jobs", type=int, default=2, help="test processes for the grader and pytest -n "
                                                            "(default 2)")
    parser.add_argument("--json", metavar="FILE", help="also write every raw time to FILE")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (logs, reports) for a look")
    args = parser.parse_args(argv)
    figures = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(figures) - set(FIGURES)
    if unknown or args.repeat < 1 or args.copies < 1:
        parser.error(f"--only takes {','.join(FIGURES)}; --repeat and --copies at least 1")
    if args.repeat < 3:
        say(f"note: --repeat {args.repeat}: fewer than 3 repeats, treat the figures as a smoke test")

    manifest = Manifest.load()
    exercises, everything = selected(manifest, args)
    watched = manifest.find(args.watch_exercise) if args.watch_exercise else exercises[0]
    work = Path(tempfile.mkdtemp(prefix="torch-kata-bench-"))
    bench = Bench(args, exercises, everything, work)
    results: dict = {}
    loads = [loadavg()]
    started = time.monotonic()
    watcher = None
    results["watch_exercise"] = watched.id
    say(f"benchmark: {len(exercises)} exercise(s), {args.repeat} repeat(s), figures {','.join(figures)}; "
        f"work in {work}")
    try:
        if "overhead" in figures:
            results["overhead"] = bench.overhead_series()
        if "watch" in figures:
            results["watch"] = (Series("watch re-check (warm runner)", "learner.run_tests"),
                                Series("cold pytest, visible tests", "python -m pytest tests/... --target solutions"))
            watcher = bench.start_watcher(watched)
        if "first" in figures:
            results["first"] = Series("watch, cold start to first verdict", "grader.py watch ID")
        if "batch" in figures:
            results["batch"] = (Series(f"grade --batch ({args.copies} copies)", "grader.py grade ROOT --batch"),
                                Series(f"grade x{args.copies}, one after another", "grader.py grade COPY"))
            batch_root = bench.batch_root()
        if "floor" in figures:
            results["floor"] = Series("python -c 'import torch, torchvision'", "import")
        for repeat in range(args.repeat):
            flip = repeat % 2 == 1  # A B, then B A: drift in the load hits both variants alike
            say(f"repeat {repeat + 1}/{args.repeat} (load {loadavg():.1f})")
            pairs = []
            if "overhead" in figures:
                grader, pytest = results["overhead"]
                pairs.append((lambda: bench.run_grader(grader), lambda: bench.run_pytest(pytest)))
            if "watch" in figures:
                recheck, cold = results["watch"]
                pairs.append((lambda: bench.run_recheck(watcher, recheck), lambda: bench.run_cold(watched, cold)))
            if "batch" in figures:
                batch, sequential = results["batch"]
                pairs.append((lambda: bench.run_batch(batch_root, batch),
                              lambda: bench.run_sequential(batch_root, sequential)))
            if "floor" in figures:
                pairs.append((lambda: bench.run_import(results["floor"]),))
            if "first" in figures:
                pairs.append((lambda: bench.run_first(watched, results["first"]),))
            for pair in pairs:
                for run in (reversed(pair) if flip else pair):
                    run()
                    loads.append(loadavg())
    except KeyboardInterrupt:
        say("interrupted: the table holds the repeats done so far")
    finally:
        if watcher is not None:
            try:
                watcher.stdin.close()
                watcher.wait(timeout=60)
            except (OSError, subprocess.TimeoutExpired):
                watcher.kill()
                watcher.wait()
        if args.json:
            raw = {name: [vars(s) for s in value] if isinstance(value, tuple) else
                   (vars(value) if isinstance(value, Series) else value) for name, value in results.items()}
            Path(args.json).write_text(json.dumps({"exercises": [e.id for e in exercises], "loads": loads,
                                                   "results": raw}, indent=1))
        if args.keep or bench.failed:
            say(f"kept {work} (logs and reports{': a run failed' if bench.failed else ''})")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(report(results, args, exercises, everything, time.monotonic() - started, loads), end="")
    return 1 if bench.failed else 0


if __name__ == "__main__":
    sys.exit(main())
