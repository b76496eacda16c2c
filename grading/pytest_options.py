"""The pack's own pytest options, registered as a plugin the pack's pytest configuration names (`-p`).

An option added by a conftest exists only when pytest loads that conftest before parsing the command line,
which `pytest --target solutions` (no path) or `pytest -m cuda --target X` from the root does not do. A plugin
named in `addopts` is loaded first, however pytest is started.
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("torch-kata")
    group.addoption(
        "--target",
        default="exercises",
        help="folder laid out like exercises/ whose code the tests run: exercises (default), solutions, or a PATH",
    )
    group.addoption(
        "--variant",
        default=None,
        help="a variant file (tests/variants/<chapter>/<name>/wrong_*.py or alt_*.py) to load in place of its exercise",
    )


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """`cd exercises && pytest` finds no tests (they live in tests/): say where they are instead of just exit 5."""
    from pathlib import Path

    if exitstatus != pytest.ExitCode.NO_TESTS_COLLECTED:
        return
    here, exercises = Path(config.invocation_params.dir).resolve(), config.rootpath.resolve() / "exercises"
    if here == exercises or exercises in here.parents:
        terminalreporter.write_line(
            "torch-kata: the tests live in tests/, not exercises/. From the pack's root run, for example,\n"
            "  pytest tests/01_tensors/test_creation_dtypes.py     (or: python grader.py watch)", yellow=True)
