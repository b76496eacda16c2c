"""The pytest side of torch-kata: the --target option, the exercise loader, devices, seeding and markers.

Every exercise test reaches the code under test through one door, the ``ex`` fixture, which loads
``<target>/<chapter>/<name>.py`` by path at test time. Collection never imports a submission, so a broken or
missing file fails only its own exercise's tests, with a message naming the file and the error.
"""

from __future__ import annotations

import ast
import importlib.abc
import importlib.util
import inspect
import random
import sys
import traceback
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
import torch

TESTS_DIR = Path(__file__).resolve().parent
PACK_ROOT = TESTS_DIR.parent
sys.path.insert(0, str(TESTS_DIR))  # lets test modules `import helpers`; never a submission's folder

from grading.manifest import Manifest  # noqa: E402
import helpers  # noqa: E402  (imported now, before any submission code runs, so it holds the real torch functions)

# The pack's tensors are tiny: extra intra-op threads only contend with each other (and with xdist workers).
torch.set_num_threads(1)

collect_ignore = ["variants"]  # variants are loaded by `--variant`, never collected as tests


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """tests/pack (the grader's own tests, many minutes long) runs only when asked for by path, as `check` does:
    a learner's bare `pytest` runs the exercises' tests."""
    pack = TESTS_DIR / "pack"
    if collection_path != pack:
        return None
    asked = [Path(arg.split("::")[0]).resolve() for arg in config.args]
    return not any(path == pack or pack in path.parents for path in asked)


def exercise_id_of(test_path: Path) -> str | None:
    """``tests/[hidden/]<chapter>/test_<name>.py`` belongs to exercise ``<chapter>/<name>``."""
    try:
        parts = test_path.resolve().relative_to(TESTS_DIR).parts
    except ValueError:
        return None
    if parts and parts[0] == "hidden":
        parts = parts[1:]
    if len(parts) != 2 or not parts[0][:2].isdigit() or not parts[1].startswith("test_"):
        return None
    return f"{parts[0]}/{parts[1][len('test_'):-len('.py')]}"


def resolve_target(config: pytest.Config) -> Path:
    value = config.getoption("--target")
    if value in ("exercises", "solutions"):
        return PACK_ROOT / value
    return (Path(config.invocation_params.dir) / value).resolve()


def cuda_available() -> bool:
    return torch.cuda.is_available()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_cuda = pytest.mark.skip(reason="CUDA not available")
    gpu = cuda_available()
    exercise_of: dict[pytest.Item, str | None] = {}
    for item in items:
        exercise = exercise_of[item] = exercise_id_of(item.path)
        if exercise is not None:
            item.add_marker(pytest.mark.exercise(exercise))
        if TESTS_DIR / "hidden" in item.path.parents:
            item.add_marker(pytest.mark.hidden)
        if item.get_closest_marker("cuda"):
            item.add_marker(pytest.mark.xdist_group("cuda"))
            if not gpu:
                item.add_marker(skip_cuda)
    # teaching order (the manifest's), not the alphabet's: `pytest tests/01_tensors -x` stops at the first exercise
    # a learner meets; a stable sort, so each file keeps its own order and anything else (the canary) stays last
    order = {exercise.id: index for index, exercise in enumerate(Manifest.load(PACK_ROOT))}
    items.sort(key=lambda item: order.get(exercise_of[item] or "", len(order)))


class ExerciseLoader:
    """Loads exercise modules by path under private names, once per session, remembering failures too."""

    def __init__(self, target: Path, variant: Path | None) -> None:
        self.target = target
        self.variant = variant.resolve() if variant else None
        # tests/variants/<chapter>/<name>/wrong_*.py stands in for exercise <chapter>/<name>
        self.variant_of = self.variant.parent.relative_to(TESTS_DIR / "variants").as_posix() if variant else None
        self._cache: dict[str, ModuleType | str] = {}

    def path_of(self, exercise: str) -> Path:
        if exercise == self.variant_of:
            return self.variant
        return self.target / f"{exercise}.py"

    def load(self, exercise: str) -> ModuleType:
        if exercise not in self._cache:
            self._cache[exercise] = self._import(exercise, self.path_of(exercise))
        loaded = self._cache[exercise]
        if isinstance(loaded, str):
            pytest.fail(loaded, pytrace=False)
        return loaded

    def _import(self, exercise: str, path: Path) -> ModuleType | str:
        shown = _display(path)
        if not path.is_file():
            return f"{shown} is missing: exercise {exercise} expects this file (restore it with `grader.py reset {exercise}`)"
        name = "_kata_" + exercise.replace("/", "__")
        spec = importlib.util.spec_from_loader(name, _SourceOnlyLoader(path), origin=str(path))
        module = importlib.util.module_from_spec(spec)
        module.__file__ = str(path)
        sys.modules[name] = module  # pickle and dataclasses look a module up by name
        helpers.importable_by_name(name, path)
        try:
            spec.loader.exec_module(module)
        except SyntaxError as err:
            return f"{shown} does not parse: line {err.lineno}: {err.msg}\n    {(err.text or '').strip()}"
        except (Exception, SystemExit) as err:
            frames = [f for f in traceback.extract_tb(err.__traceback__) if Path(f.filename) == path]
            where = f" (line {frames[-1].lineno}: {frames[-1].line})" if frames else ""
            return f"{shown} failed to import{where}: {type(err).__name__}: {err}"
        borrowed = _borrowed_definitions(module, path, exercise)
        if borrowed:
            return (f"{shown} must define its own code, but {', '.join(borrowed)}; "
                    "write the implementation in this file")
        if not hasattr(module, "__getattr__"):
            module.__getattr__ = _missing_name_reporter(shown)
        return module


class _SourceOnlyLoader(importlib.abc.SourceLoader):
    """Compiles the .py file itself and never reads a __pycache__ entry a submission could have planted."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def get_filename(self, fullname: str) -> str:
        return str(self.path)

    def get_data(self, path: str) -> bytes:
        with open(path, "rb") as handle:
            return handle.read()


def _stub_names(exercise: str) -> list[str]:
    """The functions and classes the stub declares: the names a submission must define itself."""
    stub = PACK_ROOT / "exercises" / f"{exercise}.py"
    try:
        tree = ast.parse(stub.read_text())
    except (OSError, SyntaxError):
        return []
    return [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))]


def _defined_in(obj, path: Path) -> Path | None:
    """The file a function or class was written in, or None for builtins and other objects without one."""
    obj = inspect.unwrap(obj) if callable(obj) else obj
    code = getattr(obj, "__code__", None)
    if code is not None:
        return Path(code.co_filename)
    if isinstance(obj, type):
        module = sys.modules.get(obj.__module__)
        file = getattr(module, "__file__", None)
        return Path(file) if file else None
    return None


def _is_pack_source(path: Path) -> bool:
    """A file of the pack's own folders (not a virtual environment that happens to live inside the pack)."""
    return any(PACK_ROOT / folder in path.parents for folder in ("solutions", "tests", "exercises", "grading"))


def _borrowed_definitions(module: ModuleType, path: Path, exercise: str) -> list[str]:
    """Stub names whose code (or a base class) comes from another file of this pack, e.g. solutions/."""
    borrowed = []
    for name in _stub_names(exercise):
        obj = module.__dict__.get(name)
        if obj is None:
            continue
        owners = [obj, *[base for base in getattr(obj, "__mro__", ())[1:]]]
        for owner in owners:
            where = _defined_in(owner, path)
            if where is not None and where.resolve() != path.resolve() and _is_pack_source(where.resolve()):
                borrowed.append(f"`{name}` comes from {_display(where)}")
                break
    return borrowed


def _display(path: Path) -> str:
    """Pack files by their path in the pack; a graded copy by its exercise path (its temp folder means nothing)."""
    try:
        return path.relative_to(PACK_ROOT).as_posix()
    except ValueError:
        return "/".join(path.parts[-2:])


def _missing_name_reporter(shown: str):
    def __getattr__(attribute: str):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        raise AttributeError(
            f"{shown} defines no `{attribute}`: the tests use that name from the stub; was it renamed or deleted?"
        )

    return __getattr__


@pytest.fixture(scope="session")
def exercise_loader(pytestconfig: pytest.Config) -> ExerciseLoader:
    variant = pytestconfig.getoption("--variant")
    return ExerciseLoader(resolve_target(pytestconfig), Path(variant) if variant else None)


@pytest.fixture
def ex(request: pytest.FixtureRequest, exercise_loader: ExerciseLoader, seeded_and_restored) -> ModuleType:
    """The module under test for this test file's exercise, loaded from --target."""
    marker = request.node.get_closest_marker("exercise")
    if marker is None:
        raise pytest.UsageError(f"{request.node.nodeid} is not under tests/<chapter>/test_<name>.py")
    module = exercise_loader.load(marker.args[0])
    seed_everything()  # importing the module may have reseeded the RNGs the test is about to draw from
    return module


@pytest.fixture(params=["cpu", pytest.param("cuda", marks=pytest.mark.cuda)])
def device(request: pytest.FixtureRequest) -> torch.device:
    """Runs a test body on the CPU always and on CUDA under the ``cuda`` marker."""
    return torch.device(request.param)


def seed_everything(seed: int = 0) -> None:
    # Not torch.manual_seed: until CUDA is initialised it queues a lazy seed per accelerator, each with a
    # formatted stack, 1.5 ms under pytest's deep stack; twice per test, that was a sixth of the suite's time.
    torch.random.default_generator.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)
    random.seed(seed)
    np.random.seed(seed)


@pytest.fixture(autouse=True)
def seeded_and_restored():
    """Seeds every RNG a test might touch and undoes global switches a submission might flip."""
    seed_everything()
    dtype, grad_enabled = torch.get_default_dtype(), torch.is_grad_enabled()
    yield
    torch.set_default_dtype(dtype)
    torch.set_grad_enabled(grad_enabled)
