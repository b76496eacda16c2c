"""Assertions that teach, shared by every exercise test.

Each check looks at the kind of thing first (exact type, shape, dtype, device) and the values last, and every
failure says what was expected, what came, and the likely cause. The torch functions used here are captured
when this module is imported, before any submission code loads, so a submission that patches
``torch.allclose`` or ``torch.testing.assert_close`` cannot change a verdict.
"""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, Callable

import torch
from torch.utils._python_dispatch import TorchDispatchMode

_Tensor = torch.Tensor
_Parameter = torch.nn.Parameter
_assert_close = torch.testing.assert_close
_isfinite = torch.isfinite
_equal = torch.equal


def _because(hint: str) -> str:
    return f"\n  likely cause: {hint}" if hint else ""


def assert_is_tensor(value: Any, what: str = "result", hint: str = "") -> None:
    """Exactly a torch.Tensor (or Parameter): no subclass that could fake its own comparisons."""
    __tracebackhide__ = True
    if type(value) not in (_Tensor, _Parameter):
        raise AssertionError(f"{what}: expected a torch.Tensor, got {type(value).__module__}.{type(value).__qualname__}"
                             + _because(hint))


def assert_shape(value: Any, shape: tuple[int, ...], what: str = "result", hint: str = "") -> None:
    __tracebackhide__ = True
    assert_is_tensor(value, what, hint)
    if tuple(value.shape) != tuple(shape):
        raise AssertionError(f"{what}: expected shape {tuple(shape)}, got {tuple(value.shape)}" + _because(hint))


def assert_tensor_close(
    actual: Any,
    expected: torch.Tensor,
    *,
    atol: float,
    rtol: float,
    what: str = "result",
    hint: str = "",
    check_dtype: bool = True,
    check_device: bool = True,
) -> None:
    """Type, shape, dtype and device first, then values within explicit tolerances."""
    __tracebackhide__ = True
    __tracebackhide__ = True
    assert_shape(actual, tuple(expected.shape), what, hint)
    if check_dtype and actual.dtype != expected.dtype:
        raise AssertionError(f"{what}: expected dtype {expected.dtype}, got {actual.dtype}" + _because(hint))
    if check_device and actual.device != expected.device:
        raise AssertionError(f"{what}: expected device {expected.device}, got {actual.device}" + _because(hint))
    actual_cmp, expected_cmp = actual.detach(), expected.detach()
    if not check_dtype:
        actual_cmp = actual_cmp.to(expected.dtype)
    try:
        _assert_close(actual_cmp.to(expected.device), expected_cmp, atol=atol, rtol=rtol, equal_nan=False)
    except AssertionError as err:
        detail = str(err).strip().splitlines()
        summary = "; ".join(line.strip() for line in detail[1:4] if line.strip())
        raise AssertionError(f"{what}: values differ from the expected ones (atol={atol}, rtol={rtol}): {summary}"
                             + _because(hint)) from None


def assert_tensor_equal(actual: Any, expected: torch.Tensor, *, what: str = "result", hint: str = "") -> None:
    """Bit-for-bit equality, after the same type/shape/dtype/device checks."""
    __tracebackhide__ = True
    assert_tensor_close(actual, expected, atol=0.0, rtol=0.0, what=what, hint=hint)


def assert_finite(value: Any, what: str = "result", hint: str = "") -> None:
    __tracebackhide__ = True
    assert_is_tensor(value, what, hint)
    finite = _isfinite(value.detach())
    if not bool(finite.all()):
        bad = int((~finite).sum())
        raise AssertionError(f"{what}: expected only finite values, found {bad} NaN/Inf of {value.numel()}"
                             + _because(hint))


def assert_no_graph(value: Any, what: str = "result", hint: str = "") -> None:
    """The tensor carries no autograd history (no grad_fn, requires_grad False)."""
    __tracebackhide__ = True
    assert_is_tensor(value, what, hint)
    if value.requires_grad or value.grad_fn is not None:
        raise AssertionError(f"{what}: expected a tensor without autograd history, got requires_grad="
                             f"{value.requires_grad}, grad_fn={type(value.grad_fn).__name__ if value.grad_fn else None}"
                             + _because(hint))


def randn(*shape: int, seed: int, dtype: torch.dtype = torch.float32, device: str | torch.device = "cpu") -> torch.Tensor:
    """Inputs from a private generator: reseeding the global RNG (in a submission) cannot shift them."""
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=generator, dtype=dtype).to(device)


class _OpCounter(TorchDispatchMode):
    def __init__(self) -> None:
        super().__init__()
        self.ops: Counter[str] = Counter()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.ops[str(func.overloadpacket.__name__)] += 1
        return func(*args, **(kwargs or {}))


def count_aten_ops(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Counter[str]:
    """How many aten ops ``fn(*args)`` dispatches, by name. A vectorised function's count does not grow with N."""
    with _OpCounter() as counter:
        fn(*args, **kwargs)
    return counter.ops


def assert_vectorised(fn: Callable[[int], Any], small: int, large: int, what: str) -> None:
    """``fn(n)`` runs the code under test on a batch of size n and returns its result: a tensor computed with
    aten ops, whose op count must not grow from small to large."""
    __tracebackhide__ = True
    results = []
    few = sum(count_aten_ops(lambda n: results.append(fn(n)), small).values())
    many = sum(count_aten_ops(fn, large).values())
    assert_is_tensor(results[0], what, hint="the function returns before computing anything")
    if many > few:
        raise AssertionError(f"{what}: dispatched {few} aten ops for a batch of {small} but {many} for {large}; "
                             "a vectorised version dispatches the same number whatever the batch size"
                             + _because("a Python loop over rows (or .item() calls) instead of broadcasting"))


def visible_tests(hidden_test_file: str):
    """The visible test module a hidden test file extends, so both share its model builders and data."""
    import importlib.util

    hidden = Path(hidden_test_file).resolve()
    visible = hidden.parents[2] / hidden.parent.name / hidden.name
    name = f"_visible_tests_{hidden.parent.name}_{hidden.stem}"  # pack code: the integrity snapshot watches it
    spec = importlib.util.spec_from_file_location(name, visible)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # pickle looks a class up by its module's name
    importable_by_name(name, visible)
    spec.loader.exec_module(module)
    return module


_by_name: list[Path] = []  # the folder of importable_by_name's modules, made on first use


def importable_by_name(name: str, path: Path) -> None:
    """Let a spawned process import the module loaded from `path` under the private `name`.

    DataLoader workers are spawned where fork is not the default (Windows, macOS; Python 3.14's forkserver on
    Linux) and unpickle the dataset's class by its module's name: a module of that name in a folder on sys.path
    (spawn hands the parent's sys.path on) runs the same file."""
    if not _by_name:
        _by_name.append(Path(tempfile.mkdtemp(prefix="torch-kata-modules-")))
        sys.path.append(str(_by_name[0]))  # last: it never shadows a real module
        atexit.register(shutil.rmtree, _by_name[0], True)
    (_by_name[0] / f"{name}.py").write_text(
        "# tests/helpers.py: this process imports a module under test by its private name\n"
        f"__file__ = {str(path)!r}\n"
        "with open(__file__, 'rb') as source:\n"
        "    exec(compile(source.read(), __file__, 'exec'))\n")


_HOOK_DICTS = ("_forward_hooks", "_forward_pre_hooks", "_backward_hooks", "_backward_pre_hooks")
_GLOBAL_HOOK_DICTS = ("_global_forward_hooks", "_global_forward_pre_hooks", "_global_backward_hooks",
                      "_global_backward_pre_hooks")


def global_hook_count() -> int:
    """Module hooks registered for every module at once (torch.nn.modules.module.register_module_*_hook)."""
    from torch.nn.modules import module as module_globals

    return sum(len(getattr(module_globals, name, {})) for name in _GLOBAL_HOOK_DICTS)


def assert_no_hooks_left(model: torch.nn.Module, global_before: int = 0, when: str = "after the call") -> None:
    """Every module's hook dicts are empty again, and no global module hook was left behind."""
    __tracebackhide__ = True
    leaks = [f"{name or '<model>'}.{attr}" for name, module in model.named_modules()
             for attr in _HOOK_DICTS if getattr(module, attr, None)]
    if leaks:
        raise AssertionError(f"{when}: expected no hooks left, found some still registered on: {', '.join(leaks[:6])}"
                             + _because("keep the handle register_forward_hook() returns and call handle.remove() "
                                        "in a `finally:`"))
    if global_hook_count() != global_before:
        raise AssertionError(f"{when}: a global module hook was left registered"
                             + _because("remove its handle in a `finally:`"))
