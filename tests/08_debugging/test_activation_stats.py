"""08_debugging/activation_stats: per-leaf output statistics from forward hooks that never outlive the call."""

import pytest
import torch
from torch import nn

from helpers import assert_no_hooks_left, global_hook_count, randn

class Net(nn.Module):
    """Leaves features.0-2 and head; `features` and the model itself are containers."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 6))
        self.head = nn.Linear(6, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(torch.tanh(self.features(x)))


class CorruptFrame(Exception):
    pass


class Explodes(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise CorruptFrame("corrupt frame in batch")


def make_net(seed: int = 0) -> Net:
    torch.manual_seed(seed)
    return Net()


def expected_stats(model: Net, x: torch.Tensor) -> dict[str, tuple[tuple[int, ...], float, float]]:
    """The same statistics, from a hand-written forward pass."""
    with torch.no_grad():
        a = model.features[0](x)
        b = model.features[1](a)
        c = model.features[2](b)
        d = model.head(torch.tanh(c))
    return {name: (tuple(t.shape), t.mean().item(), t.std().item())
            for name, t in [("features.0", a), ("features.1", b), ("features.2", c), ("head", d)]}


def check_stats(stats, expected) -> None:
    assert isinstance(stats, dict), f"expected a dict of name -> ActivationStats, got {type(stats).__name__}"
    assert list(stats) == list(expected), (
        f"expected one entry per leaf module, in the order they ran: {list(expected)}; got {list(stats)} "
        "(containers such as nn.Sequential or the model itself are not leaves; names come from named_modules())")
    for name, (shape, mean, std) in expected.items():
        got = stats[name]
        assert tuple(got.shape) == shape and all(type(n) is int for n in got.shape), (
            f"{name}: expected shape {shape} as a tuple of ints, got {got.shape!r}")
        assert type(got.mean) is float and type(got.std) is float, (
            f"{name}: expected mean and std as Python floats, got {type(got.mean).__name__} and "
            f"{type(got.std).__name__} (use .item())")
        assert got.mean == pytest.approx(mean, abs=1e-5), (
            f"{name}: expected output mean {mean:.6f}, got {got.mean:.6f}; did the hook record the module's input "
            "instead of its output?")
        assert got.std == pytest.approx(std, abs=1e-5), (
            f"{name}: expected output std {std:.6f} (Tensor.std(), Bessel-corrected), got {got.std:.6f}")


def test_stats_of_every_leaf_module(ex):
    model, x = make_net(), randn(4, 5, seed=1)
    stats = ex.record_activation_stats(model, x)
    check_stats(stats, expected_stats(model, x))


def test_hooks_are_removed_after_the_call(ex):
    model, x = make_net(), randn(4, 5, seed=2)
    global_before = global_hook_count()
    stats = ex.record_activation_stats(model, x)
    leaves = ["features.0", "features.1", "features.2", "head"]
    assert isinstance(stats, dict) and list(stats) == leaves, (
        f"expected an entry for each leaf {leaves}, got {stats!r:.80}; likely cause: no hook was registered "
        "(or none fired) during the forward pass, and a hook never added is trivially removed")
    assert_no_hooks_left(model, global_before)


def test_hooks_are_removed_when_the_forward_raises(ex):
    model = make_net()
    model.features.insert(2, Explodes())
    global_before = global_hook_count()
    with pytest.raises(CorruptFrame):
        ex.record_activation_stats(model, randn(4, 5, seed=3))
    assert_no_hooks_left(model, global_before)
