#!/usr/bin/env python3
"""torch-kata's command line: for learners, find the way; for instructors, grade.

    python grader.py list                  every exercise with its status
    python grader.py next                  the first unfinished exercise
    python grader.py hint ID [--all]       one more hint each time you ask
    python grader.py watch [ID]            re-check on every save, then move on
    python grader.py reset ID [--yes]      put the original stub back
    python grader.py solution ID           the reference, once yours passes
    python grader.py show ID OUT.png       draw feature maps or a Grad-CAM
    python grader.py grade [DIR]           grade a folder (default: exercises/)
    python grader.py check [ID ...]        the pack's self-check
    python grader.py release OUT_DIR       the student pack
    python grader.py bundle gradescope Z   the Gradescope autograder zip

The grader never imports torch itself: tests run in children forked from a warm
process that imports it once. Without a safe fork (Windows, macOS, or
TORCH_KATA_NO_FORK=1) each run is a fresh Python instead: slower, unsandboxed,
and `check` and `grade --batch` refuse (see README: Threat model).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import sys
import time
from pathlib import Path

from grading.manifest import PACK_ROOT, Manifest


def _find(manifest: Manifest, text: str):
    try:
        return manifest.find(text)
    except KeyError as err:
        raise SystemExit(f"grader: {err.args[0]}") from None


def _runner():
    from grading.runner import Runner

    _say_if_no_fork()
    return Runner(concurrency=2, lazy_imports=True)


@functools.cache
def _no_fork_reason() -> str | None:
    from grading.spawn import no_fork_reason

    return no_fork_reason()


@functools.cache
def _say_if_no_fork() -> None:
    """Once per command, on stderr (stdout may be a report): this platform's runs are slower and unsandboxed."""
    from grading.spawn import SLOWER_NOTICE

    if _no_fork_reason():
        print(SLOWER_NOTICE.format(reason=_no_fork_reason()), file=sys.stderr, flush=True)


def _refuse_without_fork(what: str, why: str) -> int | None:
    """On the no-fork path, a command that needs the sandbox (or the fork path's speed) says so and stops."""
    reason = _no_fork_reason()
    if reason is None:
        return None
    print(f"grader: {what} refuses to run without fork ({reason}): {why}. Run it on Linux (a container, CI); "
          "here, `grade` one folder, `list`, `next`, `hint` and `watch` work.", file=sys.stderr)
    return 2


def cmd_list(args: argparse.Namespace) -> int:
    from grading import learner

    manifest, term = Manifest.load(), learner.Terminal()
    status = learner.statuses(manifest, learner.State(), _runner)
    marks = {learner.DONE: ("✓", "green"), learner.IN_PROGRESS: ("~", "yellow"), learner.NOT_STARTED: (" ", "dim")}
    for chapter in manifest.chapters():
        members = [e for e in manifest if e.chapter == chapter]
        done = sum(status[e.id] == learner.DONE for e in members)
        term.say(term.paint(f"{chapter:<24}", "bold") + f"{term.bar(done, len(members))} {done}/{len(members)}")
        for exercise in members:
            mark, colour = marks[status[exercise.id]]
            stars = "*" * exercise.difficulty
            line = f"  {mark} {exercise.name:<24} {stars:<3} {exercise.points:>3g} pts  {status[exercise.id]}"
            term.say(term.paint(line, colour) if term.colour else line)
    done = sum(value == learner.DONE for value in status.values())
    term.say(f"\n{'overall':<24}{term.bar(done, len(manifest))} {done}/{len(manifest)}")
    return 0


def cmd_next(args: argparse.Namespace) -> int:
    from grading import learner

    manifest, term = Manifest.load(), learner.Terminal()
    status = learner.statuses(manifest, learner.State(), _runner)
    pending = [e for e in manifest if status[e.id] != learner.DONE]
    if not pending:
        term.say("Every exercise passes. Run `python grader.py grade` for the full score, hidden tests included.")
        return 0
    exercise = pending[0]
    term.say(term.paint(f"{exercise.id} — {exercise.title}", "bold"))
    term.say(f"  file:  exercises/{exercise.relpath}")
    term.say(f"  test:  {learner.test_command(exercise)}")
    term.say(f"  watch: python grader.py watch {exercise.id}")
    term.say("\n" + learner.scenario(exercise))
    return 0


def cmd_hint(args: argparse.Namespace) -> int:
    from grading import learner

    manifest, state = Manifest.load(), learner.State()
    if args.id is None:  # the exercise `next` would show: the first one not yet passing
        status = learner.statuses(manifest, state, _runner)
        exercise = next((e for e in manifest if status[e.id] != learner.DONE), None)
        if exercise is None:
            print("Every exercise passes: no hint needed.")
            return 0
        print(f"{exercise.id}:")
    else:
        exercise = _find(manifest, args.id)
    shown = state.data["hints_shown"].get(exercise.id, 0)
    upto = len(exercise.hints) if args.all else min(shown + 1, len(exercise.hints))
    for number, hint in enumerate(exercise.hints[:upto], start=1):
        print(f"hint {number}/{len(exercise.hints)}: {hint}")
    if upto == len(exercise.hints) and not args.all and shown >= len(exercise.hints):
        print("(that was the last hint; `grader.py solution` shows the reference once your version passes)")
    state.data["hints_shown"][exercise.id] = max(shown, upto)
    state.save()
    return 0


def cmd_reset(args: argparse.Namespace) -> int:
    from grading import learner

    manifest = Manifest.load()
    exercise = _find(manifest, args.id)
    original = learner.original_stub(exercise)
    if original is None:
        print(f"grader: no original stub of {exercise.id} is available to restore", file=sys.stderr)
        return 1
    path = learner.exercise_file(exercise)
    if not args.yes:
        try:
            answer = input(f"Replace exercises/{exercise.relpath} with the original stub? Your changes are lost. [y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("left as it was")
            return 1
    path.write_text(original)
    print(f"restored exercises/{exercise.relpath}")
    return 0


def cmd_solution(args: argparse.Namespace) -> int:
    from grading import learner

    manifest = Manifest.load()
    exercise = _find(manifest, args.id)
    solution = PACK_ROOT / "solutions" / exercise.relpath
    if not solution.is_file():
        print("grader: this pack has no solutions/ folder (a student release); ask your instructor", file=sys.stderr)
        return 1
    with _runner() as runner:
        results = learner.run_tests(runner, [exercise])[exercise.id]
    if learner.verdict(results) != learner.DONE:
        print(f"Not yet: the solution opens once your version passes ({learner.first_failure(results)[:300]})")
        return 1
    print(solution.read_text(), end="")
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    from grading import learner

    manifest, term = Manifest.load(), learner.Terminal()
    try:
        with _runner() as runner:  # one warm process for the status check and the watching: one torch import
            if args.id:
                start = _find(manifest, args.id)
            else:
                status = learner.statuses(manifest, learner.State(), lambda: contextlib.nullcontext(runner))
                start = next((e for e in manifest if status[e.id] != learner.DONE), manifest.exercises[-1])
            learner.watch(manifest, start, runner, term)
    except KeyboardInterrupt:
        term.say("\nstopped watching")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    import subprocess

    from grading import pictures

    manifest = Manifest.load()
    exercise = _find(manifest, args.id)
    if exercise.id not in pictures.DRAWERS:
        print(f"grader: {exercise.id} draws no picture; try one of {', '.join(pictures.DRAWERS)}", file=sys.stderr)
        return 2
    source = PACK_ROOT / ("solutions" if args.reference else "exercises") / exercise.relpath
    if not source.is_file():
        print(f"grader: {source.relative_to(PACK_ROOT)} is not in this pack", file=sys.stderr)
        return 1
    # a child process: the learner's code and torch never run in the grader itself
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PACK_ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-m", "grading.pictures", exercise.id, str(source), args.out],
                          stderr=subprocess.PIPE, text=True, env=env)
    if done.returncode == pictures.NOT_DONE:
        print(f"{exercise.id} is not done yet (its code still raises NotImplementedError): finish it, or add "
              "--reference to draw with the reference solution", file=sys.stderr)
        return 1
    print(done.stderr, end="", file=sys.stderr)  # the learner's own error: theirs to read
    return done.returncode


def cmd_grade(args: argparse.Namespace) -> int:
    from grading import formats, shards
    from grading.grade import grade, grade_many
    from grading.runner import Runner

    root = Path(args.submission).resolve()
    if not root.is_dir():
        print(f"grader: {args.submission} is not a folder", file=sys.stderr)
        return 2
    if args.shard and not args.batch:
        print("grader: --shard splits a --batch run", file=sys.stderr)
        return 2
    if args.shard:
        try:
            shards.parse(args.shard)
        except shards.ShardError as err:
            print(f"grader: {err}", file=sys.stderr)
            return 2
    if args.batch:
        refused = _refuse_without_fork("grade --batch", "a whole class graded without the sandbox could read "
                                       "each other's files and the grader's, and nothing limits a submission")
        if refused is not None:
            return refused
    manifest = Manifest.load()
    only = [_find(manifest, text) for text in args.exercise]
    _say_if_no_fork()
    with Runner(concurrency=args.jobs) as runner:
        if not args.batch:
            report = grade(root, manifest, runner, hidden=not args.visible_only, only=only)
            rendered = formats.FORMATS[args.format](report)
            if args.json:
                Path(args.json).write_text(formats.json_format(report))
        else:
            submissions = everyone = sorted(path for path in root.iterdir()
                                            if path.is_dir() and not path.name.startswith("."))
            if args.shard:
                k, n = shards.parse(args.shard)
                submissions = [path for path in everyone if shards.part_of(path.name, n) == k]
            started = time.monotonic()

            def progress(done: int, total: int) -> None:
                elapsed = time.monotonic() - started
                left = elapsed / done * (total - done) if done else 0
                print(f"\rgraded {done}/{total}, {total - done} to go, about {left:.0f} s left   ",
                      end="", file=sys.stderr, flush=True)

            reports = grade_many(submissions, manifest, runner, hidden=not args.visible_only, only=only,
                                 progress=progress, neighbours=[path for path in everyone if path not in submissions])
            print(file=sys.stderr)
            rendered = shards.shard_report(reports, [path.name for path in submissions], k, n) if args.shard \
                else formats.batch(reports, [path.name for path in submissions], args.format)
            if args.json:
                Path(args.json).write_text(formats.batch(reports, [path.name for path in submissions], "json"))
    return _write(rendered, args.output)


def _write(rendered: str, output: str | None) -> int:
    """A report to --output (saying where), or to stdout."""
    if output:
        Path(output).write_text(rendered)
        print(f"wrote {output}")
    else:
        print(rendered, end="")
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    """Shard reports of one `--batch --shard K/N` split -> the gradebook one `--batch` run gives."""
    from grading import formats, shards

    try:
        reports, students = shards.merge([(path, Path(path).read_text()) for path in args.reports])
    except (OSError, shards.ShardError) as err:
        print(f"grader: {err}", file=sys.stderr)
        return 2
    rendered = formats.batch(reports, students, args.format)
    return _write(rendered, args.output)


def cmd_exercism(args: argparse.Namespace) -> int:
    """Exercism's test-runner interface: the solution in INPUT_DIR, results.json written to OUTPUT_DIR, always."""
    import json
    import shutil
    import tempfile

    from grading import formats
    from grading.grade import grade
    from grading.runner import Runner

    output = Path(args.output_dir)
    output.mkdir(parents=True, exist_ok=True)
    manifest = Manifest.load()
    wanted = args.slug.replace("-", "_")
    exercise = next((e for e in manifest if wanted in (e.name, e.id.replace("/", "_"))), None)
    if exercise is None:
        result = {"version": 3, "status": "error", "message": f"no exercise has the slug {args.slug!r}", "tests": []}
        (output / "results.json").write_text(json.dumps(result, indent=2) + "\n")
        return 0
    source = next((path for path in (Path(args.input_dir) / exercise.relpath, Path(args.input_dir) / f"{exercise.name}.py")
                   if path.is_file()), None)
    with tempfile.TemporaryDirectory(prefix="torch-kata-exercism-") as folder:
        if source is not None:  # laid out as the grader expects; a missing file is graded (and reported) as missing
            (Path(folder) / exercise.relpath).parent.mkdir(parents=True)
            shutil.copyfile(source, Path(folder) / exercise.relpath)
        _say_if_no_fork()
        with Runner(concurrency=1) as runner:
            report = grade(Path(folder), manifest, runner, hidden=False, only=[exercise])
    report.submission = args.input_dir
    (output / "results.json").write_text(formats.exercism(report))
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    from grading.release import release

    out = Path(args.out).resolve()
    try:
        files = release(out)
    except FileExistsError as err:
        print(f"grader: {err}", file=sys.stderr)
        return 2
    print(f"wrote a student release of {len(files)} files to {out}")
    print("  no solutions, hidden tests or known-wrong variants; try: cd OUT && pip install -e . && pytest")
    return 0


def cmd_bundle(args: argparse.Namespace) -> int:
    from grading import scaleout
    from grading.release import bundle_gradescope

    if args.platform == "gradescope":
        names = bundle_gradescope(Path(args.out))
        print(f"wrote {args.out}: the Gradescope autograder ({len(names)} files, visible and hidden tests)")
        return 0
    path = scaleout.write(args.platform, Path(args.out), args.parts)
    print(f"wrote {path}: grades a class in {args.parts} parts, then merges them (README: Grading a large class)")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from grading.check import run_check
    from grading.runner import Runner

    refused = _refuse_without_fork("check", "the self-check runs hundreds of test processes (each would pay the "
                                   "torch import) and the pack's own tests prove the sandbox, which this path "
                                   "does not have")
    if refused is not None:
        return refused
    manifest = Manifest.load()
    only = [exercise for text in args.ids for exercise in
            ([e for e in manifest if e.chapter == text.rstrip("/")] or [_find(manifest, text)])] or None
    if args.mutants:
        return _check_mutants(manifest, only or list(manifest), args.jobs)
    with Runner(concurrency=args.jobs) as runner:
        outcome = run_check(manifest, runner, only)
    for problem in outcome.problems:
        print(f"FAIL {problem}")
    # the closing line CI reads: expectations held, violated, and tests skipped (no GPU, missing extras)
    print(f"check: {outcome.held} passed, {len(outcome.problems)} failed, {outcome.skipped} skipped")
    return 1 if outcome.problems else 0


def _check_mutants(manifest: Manifest, exercises: list, jobs: int) -> int:
    from grading.mutants import MUTANT_TEST_TIMEOUT, report, run_mutants
    from grading.runner import Runner

    with Runner(concurrency=jobs, test_timeout=MUTANT_TEST_TIMEOUT) as runner:
        scores = run_mutants(manifest, runner, exercises)
    return 0 if report(scores) else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="grader.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    grade = commands.add_parser(
        "grade", help="grade a submission folder (default: exercises/)",
        description="Run every test, visible and hidden, against a folder laid out like exercises/.",
        epilog="examples:\n  python grader.py grade ~/submissions/alice --json alice.json\n"
               "  python grader.py grade ~/submissions --batch --jobs 2 \\\n"
               "                        --format csv --output grades.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    grade.add_argument("submission", nargs="?", default=str(PACK_ROOT / "exercises"))
    grade.add_argument("--format", default="text", metavar="FORMAT",
                       choices=["text", "json", "gradescope", "exercism", "github", "junit", "csv"],
                       help="text (default), json, gradescope, exercism, github, junit or csv")
    grade.add_argument("--output", metavar="FILE", help="write the report to FILE instead of the terminal")
    grade.add_argument("--json", metavar="FILE", help="also write the report as JSON to FILE")
    grade.add_argument("--batch", action="store_true",
                       help="SUBMISSION_DIR holds one folder per student: grade each into one gradebook")
    grade.add_argument("--visible-only", action="store_true", help="run only the visible tests")
    grade.add_argument("--exercise", action="append", default=[], metavar="ID",
                       help="grade only this exercise (repeatable); default: all")
    grade.add_argument("--jobs", type=int, default=2, help="test processes at once (default 2)")
    grade.add_argument("--shard", metavar="K/N", help="with --batch: grade only part K of N of the students and "
                       "write a shard report for `merge` (a student always lands in the same part)")
    grade.set_defaults(run=cmd_grade)

    merge = commands.add_parser(
        "merge", help="merge the shard reports of a split batch into one gradebook",
        epilog="example: python grader.py merge part1.json part2.json \\\n"
               "                        --format csv --output grades.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    merge.add_argument("reports", nargs="+", metavar="SHARD_REPORT")
    merge.add_argument("--format", default="csv", metavar="FORMAT",
                       choices=["text", "json", "gradescope", "exercism", "github", "junit", "csv"],
                       help="csv (default), json, junit, text, gradescope, exercism or github")
    merge.add_argument("--output", metavar="FILE", help="write the gradebook to FILE instead of the terminal")
    merge.set_defaults(run=cmd_merge)

    exercism = commands.add_parser(
        "exercism", help="Exercism's test-runner interface: grade one solution into OUTPUT_DIR/results.json",
        epilog="example: python grader.py exercism creation-dtypes ./solution ./out\n(bin/run.sh SLUG INPUT_DIR OUTPUT_DIR wraps this)",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    exercism.add_argument("slug", help="the exercise: its name in kebab case (creation-dtypes)")
    exercism.add_argument("input_dir", help="the folder holding the solution (<name>.py or <chapter>/<name>.py)")
    exercism.add_argument("output_dir", help="where results.json is written")
    exercism.set_defaults(run=cmd_exercism)

    listing = commands.add_parser("list", help="every exercise with its status, chapter by chapter",
                                  epilog="example: python grader.py list")
    listing.set_defaults(run=cmd_list)
    nxt = commands.add_parser("next", help="the first unfinished exercise and how to test it",
                              epilog="example: python grader.py next")
    nxt.set_defaults(run=cmd_next)
    hint = commands.add_parser("hint", help="the next hint for an exercise (one more each time)",
                               epilog="example: python grader.py hint residual_block")
    hint.add_argument("id", metavar="ID", nargs="?", help="the exercise (default: the first one not yet passing)")
    hint.add_argument("--all", action="store_true", help="show every hint at once")
    hint.set_defaults(run=cmd_hint)
    watch = commands.add_parser("watch", help="re-check an exercise on every save, then move on",
                                epilog="example: python grader.py watch 01_tensors/broadcasting")
    watch.add_argument("id", nargs="?", metavar="ID", help="default: the first unfinished exercise")
    watch.set_defaults(run=cmd_watch)
    reset = commands.add_parser("reset", help="put the original stub of an exercise back",
                                epilog="example: python grader.py reset 01_tensors/einsum --yes")
    reset.add_argument("id", metavar="ID")
    reset.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    reset.set_defaults(run=cmd_reset)
    solution = commands.add_parser("solution", help="show the reference solution once your version passes",
                                   epilog="example: python grader.py solution 02_autograd/derivatives")
    solution.add_argument("id", metavar="ID")
    solution.set_defaults(run=cmd_solution)
    show = commands.add_parser("show", help="draw an exercise's picture into a PNG",
                               epilog="example: python grader.py show 06_vision/grad_cam heatmap.png")
    show.add_argument("id", metavar="ID")
    show.add_argument("out", metavar="OUT.png")
    show.add_argument("--reference", action="store_true", help="draw with the reference solution")
    show.set_defaults(run=cmd_show)

    rel = commands.add_parser("release", help="write the student pack: stubs and visible tests only",
                              epilog="example: python grader.py release ../torch-kata-student")
    rel.add_argument("out", metavar="OUT_DIR")
    rel.set_defaults(run=cmd_release)
    bundle = commands.add_parser(
        "bundle", help="build a platform's autograder bundle, or a template that grades a class in parts",
        epilog="examples:\n  python grader.py bundle gradescope autograder.zip\n"
               "  python grader.py bundle slurm jobs/ --parts 8   (also github-matrix, k8s-job)",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    bundle.add_argument("platform", choices=["gradescope", "github-matrix", "k8s-job", "slurm"])
    bundle.add_argument("out", metavar="OUT", help="the zip (gradescope) or the folder a template is written to")
    bundle.add_argument("--parts", type=int, default=4, help="how many workers a template splits the class over")
    bundle.set_defaults(run=cmd_bundle)

    check = commands.add_parser(
        "check", help="self-check: solutions pass; stubs, do-nothing stubs and known-wrong variants fail",
        description="The pack's self-check. Exits non-zero and names every violation.",
        epilog="example: python grader.py check 03_modules/residual_block")
    check.add_argument("ids", nargs="*", metavar="ID", help="check only these exercises or chapters (default: all)")
    check.add_argument("--jobs", type=int, default=2, help="test processes at once (default 2)")
    check.add_argument("--mutants", action="store_true",
                       help="mutation testing instead: every mutant of the solutions must fail a test, "
                            "or be recorded as equivalent (needs the dev extra: cosmic-ray)")
    check.set_defaults(run=cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:  # Ctrl-C: the runner has already stopped every process it started
        print("\ngrader: stopped", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `grader.py list | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes
        return 0


if __name__ == "__main__":
    sys.exit(main())
