"""Do-nothing implementations of the stubs: what a learner who hands in the bare skeleton would get.

A stub raises NotImplementedError, so every test fails on it; a test that also fails on a *do-nothing*
implementation (each such body replaced by `return None`, an `__init__` by `super().__init__()`) is known to
check that the work was done. `check` runs every test against these and reports the ones that pass: points
for nothing. Fix-the-bug stubs hold runnable code instead and have no do-nothing version.
"""

from __future__ import annotations

import ast
from pathlib import Path

from grading.manifest import Exercise


def _is_todo(function: ast.FunctionDef) -> bool:
    """The body raises NotImplementedError: the part a learner writes."""
    for statement in function.body:
        if isinstance(statement, ast.Raise) and statement.exc is not None:
            raised = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
            if isinstance(raised, ast.Name) and raised.id == "NotImplementedError":
                return True
    return False


class _DoNothing(ast.NodeTransformer):
    def __init__(self) -> None:
        self.replaced = 0

    def visit_FunctionDef(self, function: ast.FunctionDef) -> ast.FunctionDef:
        self.generic_visit(function)
        if _is_todo(function):
            self.replaced += 1
            docstring = function.body[:1] if ast.get_docstring(function) is not None else []
            nothing = "super().__init__()" if function.name == "__init__" else "return None"
            function.body = docstring + ast.parse(nothing).body
        return function


def do_nothing_source(stub: str) -> str | None:
    """The stub with every TODO body doing nothing; None when it has no TODO body (a fix-the-bug stub)."""
    tree = ast.parse(stub)
    transformer = _DoNothing()
    tree = transformer.visit(tree)
    return ast.unparse(ast.fix_missing_locations(tree)) if transformer.replaced else None


def write_do_nothing_stubs(exercises: list[Exercise], stubs: Path, target: Path) -> list[Exercise]:
    """Write `<target>/<chapter>/<name>.py` for each exercise that has TODO bodies; return those exercises."""
    written = []
    for exercise in exercises:
        source = do_nothing_source((stubs / exercise.relpath).read_text())
        if source is not None:
            path = target / exercise.relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(source)
            written.append(exercise)
    return written
