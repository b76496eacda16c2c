"""08_debugging/nan_detective: the first module with a NaN/Inf output, found with hooks that never linger."""

import pytest
import torch
from torch import nn

from helpers import assert_no_hooks_left, global_hook_count, randn

class Log(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.log(x)


class Net(nn.Module):
    """features.2 takes log(0) = -inf; features.3 then mixes -inf with +inf into NaN; everything after is NaN."""

    def __init__(self, broken: bool = True) -> None:
        super().__init__()
        self.features = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), Log(), nn.Linear(8, 3))
        self.head = nn.Linear(3, 2)
        with torch.no_grad():
            first, last = self.features[0], self.features[3]
            first.weight.mul_(0.1)
            first.bias.fill_(2.0)              # every unit comfortably positive ...
            if broken:
                first.weight[:2].zero_()
                first.bias[:2].fill_(-1.0)     # ... except units 0 and 1: ReLU makes them exactly 0
            last.weight[:, 0] = 1.0
            last.weight[:, 1] = -1.0           # -inf * 1 + -inf * -1 = NaN

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


class CorruptFrame(Exception):
    pass


class Explodes(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise CorruptFrame("corrupt frame in batch")


def make_net(broken: bool = True, seed: int = 0) -> Net:
    torch.manual_seed(seed)
    return Net(broken)


def test_finds_the_log_of_zero_in_the_third_layer(ex):
    model, x = make_net(), randn(5, 4, seed=1)
    culprit = ex.first_nonfinite_module(model, x)
    assert culprit == "features.2", (
        f"expected 'features.2' (log(0) = -inf there; features.3 is the first NaN), got {culprit!r}; "
        "check torch.isfinite (NaN *and* Inf) and keep the first module to finish, not the last")


def test_returns_none_when_everything_is_finite(ex):
    x = randn(5, 4, seed=2)
    culprit = ex.first_nonfinite_module(make_net(broken=True), x)
    assert culprit == "features.2", (
        f"the same net with two dead units takes log(0) = -inf in features.2 on this input; expected 'features.2', "
        f"got {culprit!r}; likely cause: a function that returns None whatever the outputs are")
    model = make_net(broken=False)
    culprit = ex.first_nonfinite_module(model, x)
    assert culprit is None, f"every output is finite, expected None, got {culprit!r}"


def test_rejects_an_input_that_is_already_broken(ex):
    x = randn(5, 4, seed=3)
    x[2, 1] = float("inf")
    with pytest.raises(ValueError):
        ex.first_nonfinite_module(make_net(broken=False), x)


def test_hooks_are_removed_after_the_call_and_when_the_forward_raises(ex):
    model = make_net()
    global_before = global_hook_count()
    ex.first_nonfinite_module(model, randn(5, 4, seed=4))
    assert_no_hooks_left(model, global_before)
    model.features.insert(1, Explodes())
    with pytest.raises(CorruptFrame):
        ex.first_nonfinite_module(model, randn(5, 4, seed=5))
    assert_no_hooks_left(model, global_before)
