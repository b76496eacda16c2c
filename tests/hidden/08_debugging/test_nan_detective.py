"""08_debugging/nan_detective, hidden: overflow, tuple outputs, functional ops in the model itself, run order."""

import pytest
import torch
from torch import nn

from helpers import randn, visible_tests

visible = visible_tests(__file__)


class Exp(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.exp(x)


class SplitLog(nn.Module):
    """Returns (x, log(x)): the second element is NaN where x < 0."""

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return x, torch.log(x)


class First(nn.Module):
    def forward(self, pair: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
        return pair[0]


class LogInForward(nn.Module):
    """The NaN comes from a functional call in the model's own forward, after its last child."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(4, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.log(self.fc(x) - 100.0)


class RunsOutOfOrder(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.head = nn.Linear(3, 2)
        self.body = nn.Sequential(nn.Linear(4, 3), Exp())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x))


def test_overflow_to_inf_counts(ex):
    torch.manual_seed(7)
    model = nn.Sequential(nn.Linear(4, 4), Exp(), nn.Linear(4, 2))
    with torch.no_grad():
        model[0].weight.fill_(0.0)
        model[0].bias.fill_(200.0)  # exp(200) overflows float32 to +inf
    culprit = ex.first_nonfinite_module(model, randn(3, 4, seed=7))
    assert culprit == "1", f"exp(200) is +inf in module '1'; expected '1', got {culprit!r}"


def test_a_tuple_output_counts_when_any_element_is_nonfinite(ex):
    model = nn.Sequential(nn.Identity(), SplitLog(), First(), nn.Linear(4, 2))
    culprit = ex.first_nonfinite_module(model, randn(3, 4, seed=8))
    assert culprit == "1", (
        f"module '1' returns a tuple whose second tensor has NaN; expected '1', got {culprit!r} "
        "(look inside tuple and list outputs)")


def test_the_model_itself_is_named_empty_string(ex):
    torch.manual_seed(9)
    culprit = ex.first_nonfinite_module(LogInForward(), randn(3, 4, seed=9))
    assert culprit == "", f"only the model's own forward produces NaN; expected '' (its named_modules name), got {culprit!r}"


def test_order_is_the_order_modules_finish(ex):
    torch.manual_seed(10)
    model = RunsOutOfOrder()
    with torch.no_grad():
        model.body[0].bias.fill_(300.0)
    culprit = ex.first_nonfinite_module(model, randn(2, 4, seed=10))
    assert culprit == "body.1", (
        f"body.1 (exp) overflows first; head is registered earlier but runs later; expected 'body.1', got {culprit!r}")


def test_nan_in_input_is_rejected_too(ex):
    x = randn(2, 4, seed=11)
    x[0, 0] = float("nan")
    with pytest.raises(ValueError):
        ex.first_nonfinite_module(visible.make_net(), x)


def test_deeper_nesting_and_no_hooks_left(ex):
    model = nn.Sequential(nn.Linear(4, 4), nn.Sequential(nn.Identity(), visible.make_net(seed=12)))
    global_before = visible.global_hook_count()
    culprit = ex.first_nonfinite_module(model, randn(4, 4, seed=12))
    assert culprit == "1.1.features.2", f"expected '1.1.features.2', got {culprit!r}"
    visible.assert_no_hooks_left(model, global_before)
