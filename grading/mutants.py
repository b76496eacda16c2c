"""Mutation testing: cosmic-ray's operators make the mutants, the pack's warm runner judges them.

Each mutant is a solution with one small change (`<` for `<=`, `+ 1` for `+ 2`, a decorator dropped, a loop
that never runs). A mutant is killed when at least one of its exercise's tests fails on it. A survivor is a
change no test notices: either a clause the tests do not enforce (write the test), or a change that cannot
alter behaviour, recorded with a one-line reason in `tests/variants/<chapter>/<name>/equivalent_mutants.toml`:

    [[equivalent]]
    mutant = "Lt_LtE: `if step < 0:` -> `if step <= 0:`"
    why = "step == 0 is rejected a few lines earlier"

Mutants run like known-wrong variants (`-x`, one exercise's tests), each from a folder that holds only its
mutated file, so a whole-pack run is one collection and a few thousand forks of the warm process.
"""

from __future__ import annotations

import ast
import difflib
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI (a dependency there)
    import tomli as tomllib

from grading.manifest import PACK_ROOT, Exercise, Manifest
from grading.runner import Job, Runner

EQUIVALENTS_FILE = "equivalent_mutants.toml"
MUTANT_TEST_TIMEOUT = 20.0  # a mutant that loops forever is killed by its timeout; no correct test takes this long
TARGET_SCORE = 0.95

# One natural replacement per operator, not cosmic-ray's every-to-every table: `+` -> `-` finds the same blind
# test as `+` -> `%`, and the pack's budget is a whole-pack run in minutes.
OPERATORS = [f"core/ReplaceBinaryOperator_{pair}" for pair in (
    "Add_Sub", "Sub_Add", "Mul_Div", "Div_Mul", "FloorDiv_Div", "Mod_FloorDiv", "Pow_Mul", "BitOr_BitAnd",
    "BitAnd_BitOr")] + [f"core/ReplaceComparisonOperator_{pair}" for pair in (
    "Eq_NotEq", "NotEq_Eq", "Lt_LtE", "LtE_Lt", "Gt_GtE", "GtE_Gt", "Is_IsNot", "IsNot_Is")] + [
    "core/ReplaceUnaryOperator_USub_UAdd", "core/ReplaceUnaryOperator_Delete_Not",
    "core/AddNot", "core/ReplaceTrueWithFalse", "core/ReplaceFalseWithTrue",
    "core/ReplaceAndWithOr", "core/ReplaceOrWithAnd", "core/ReplaceBreakWithContinue",
    "core/ReplaceContinueWithBreak", "core/NumberReplacer", "core/RemoveDecorator", "core/ZeroIterationForLoop",
]


@dataclass(frozen=True)
class Mutant:
    exercise: Exercise
    key: str  # stable across unrelated edits: operator and the changed line before and after
    source: str


@dataclass
class ExerciseScore:
    exercise: Exercise
    made: int = 0
    killed: int = 0
    equivalent: int = 0
    survivors: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # recorded as equivalent, but no longer made

    @property
    def score(self) -> float:
        judged = self.made - self.equivalent
        return self.killed / judged if judged else 1.0


def _describe(operator: str, original: str, mutated: str) -> str:
    short = operator.split("/")[-1].removeprefix("ReplaceBinaryOperator_").removeprefix(
        "ReplaceComparisonOperator_").removeprefix("ReplaceUnaryOperator_")
    before = [line.split("  # ")[0].strip() for line in original.splitlines()]
    after = [line.split("  # ")[0].strip() for line in mutated.splitlines()]
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += before[i1:i2]
            added += after[j1:j2]
    return f"{short}: `{' '.join(removed)}` -> `{' '.join(added)}`"


def _unjudged_spans(source: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Code no test can judge: annotations (strings, under `from __future__ import annotations`) and the
    `if __name__ == "__main__":` demo a solution may carry."""
    spans = []
    for node in ast.walk(ast.parse(source)):
        parts = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = node.args
            parts += [a.annotation for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs
                      + [arguments.vararg, arguments.kwarg] if a is not None and a.annotation is not None]
            parts.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            parts.append(node.annotation)
        elif isinstance(node, ast.If) and "__main__" in ast.unparse(node.test) and "__name__" in ast.unparse(node.test):
            parts.append(node)
        spans += [((part.lineno, part.col_offset), (part.end_lineno, part.end_col_offset))
                  for part in parts if part is not None]
    return spans


def mutants_of(exercise: Exercise, source: str) -> list[Mutant]:
    """Every mutant of one solution that a test could notice, each with a key that names what changed."""
    from cosmic_ray.ast import ast_nodes, get_ast
    from cosmic_ray.mutating import mutate_code
    from cosmic_ray.plugins import get_operator

    mutants, seen = [], {}
    module, unjudged = get_ast(source), _unjudged_spans(source)
    for name in OPERATORS:
        operator = get_operator(name)()
        # numbered as cosmic-ray numbers occurrences: node by node, position by position
        positions = [start for node in ast_nodes(module) for start, _ in operator.mutation_positions(node)]
        for occurrence, start in enumerate(positions):
            if any(low <= start < high for low, high in unjudged):
                continue
            mutated = mutate_code(source, operator, occurrence)
            if mutated is None or mutated == source:
                continue
            key = _describe(name, source, mutated)
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:  # the same change on two identical lines
                key = f"{key} #{seen[key]}"
            mutants.append(Mutant(exercise, key, mutated))
    return mutants


def equivalents(exercise: Exercise, root: Path = PACK_ROOT) -> dict[str, str]:
    """Mutants recorded as unable to change behaviour: key -> the reason."""
    path = root / "tests" / "variants" / exercise.chapter / exercise.name / EQUIVALENTS_FILE
    if not path.is_file():
        return {}
    with open(path, "rb") as handle:
        entries = tomllib.load(handle).get("equivalent", [])
    return {entry["mutant"]: entry["why"] for entry in entries}


def run_mutants(manifest: Manifest, runner: Runner, exercises: list[Exercise], echo=print) -> list[ExerciseScore]:
    started = time.monotonic()
    files = [path for exercise in exercises for path in exercise.test_files()]
    collect = Job("collect", PACK_ROOT / "solutions", files, collect_only=True)
    runner.run([collect])
    selected: dict[str, list[str]] = {}
    for record in collect.collected.values():
        selected.setdefault(record.get("exercise") or "", []).append(record["nodeid"])

    scores = {exercise.id: ExerciseScore(exercise) for exercise in exercises}
    with tempfile.TemporaryDirectory(prefix="torch-kata-mutants-") as folder:
        jobs: list[tuple[Mutant, Job]] = []
        for exercise in exercises:
            source = (PACK_ROOT / "solutions" / exercise.relpath).read_text()
            for i, mutant in enumerate(mutants_of(exercise, source)):
                target = Path(folder) / exercise.chapter / exercise.name / str(i)
                (target / exercise.chapter).mkdir(parents=True)
                (target / exercise.relpath).write_text(mutant.source)
                job = Job(f"mutant {exercise.id} {mutant.key}", target, exercise.test_files(),
                          select=selected.get(exercise.id, []), stop_at_first_failure=True)
                jobs.append((mutant, job))
        echo(f"{len(jobs)} mutants of {len(exercises)} exercises; running them")
        runner.run([job for _, job in jobs])

    for exercise in exercises:
        score, recorded = scores[exercise.id], equivalents(exercise)
        keys = set()
        for mutant, job in jobs:
            if mutant.exercise != exercise:
                continue
            keys.add(mutant.key)
            score.made += 1
            if any(result.status in ("failed", "error") for result in job.results.values()):
                score.killed += 1
            elif mutant.key in recorded:
                score.equivalent += 1
            else:
                score.survivors.append(mutant.key)
        score.stale = sorted(set(recorded) - keys)
    echo(f"{len(jobs)} mutants judged in {time.monotonic() - started:.1f} s")
    return list(scores.values())


def report(scores: list[ExerciseScore], echo=print) -> bool:
    """Print the table and every untriaged survivor; True when nothing is left untriaged."""
    echo(f"{'exercise':<36} {'made':>5} {'killed':>6} {'equiv':>5} {'survived':>8} {'score':>6}")
    for s in scores:
        echo(f"{s.exercise.id:<36} {s.made:>5} {s.killed:>6} {s.equivalent:>5} {len(s.survivors):>8} "
             f"{s.score:>6.1%}")
    made, killed, equivalent = (sum(getattr(s, a) for s in scores) for a in ("made", "killed", "equivalent"))
    survived = sum(len(s.survivors) for s in scores)
    total = killed / (made - equivalent) if made > equivalent else 1.0
    echo(f"{'total':<36} {made:>5} {killed:>6} {equivalent:>5} {survived:>8} {total:>6.1%}")
    for s in scores:
        for key in s.survivors:
            echo(f"survived: {s.exercise.id}: {key}")
        for key in s.stale:
            echo(f"stale: {s.exercise.id}: {EQUIVALENTS_FILE} records a mutant no longer made: {key}")
    return survived == 0 and not any(s.stale for s in scores)
