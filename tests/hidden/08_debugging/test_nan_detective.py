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
    assert culprit == "", (
        f"only the model's own forward produces NaN; expected '' (its named_modules name), got {culprit!r}")


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


class NestedLog(nn.Module):
    """Returns (finite, (finite, log(x))), shaped like an LSTM's (output, (h, c)): only the inner c is NaN."""

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        return x.abs(), (x.abs(), torch.log(x))


class DictLog(nn.Module):
    """A Hugging Face-style dict output: finite logits, a NaN auxiliary value."""

    def forward(self, x: torch.Tensor) -> dict[str, object]:
        return {"logits": x.abs(), "aux": [torch.log(x)], "step": 3}


class Pick(nn.Module):
    def __init__(self, key: object) -> None:
        super().__init__()
        self.key = key

    def forward(self, value: object) -> torch.Tensor:
        return value[self.key]


class Counter(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        return x


def test_nested_tuples_count_at_any_depth(ex):
    torch.manual_seed(13)
    model = nn.Sequential(nn.Identity(), NestedLog(), Pick(0), nn.Linear(4, 2))
    culprit = ex.first_nonfinite_module(model, randn(3, 4, seed=13))
    assert culprit == "1", (
        f"module '1' returns (out, (h, c)) like an LSTM and c holds NaN; expected '1', got {culprit!r}; likely "
        "cause: only the tuple's direct elements are checked, not the tuple inside it")


def test_dict_values_count_too(ex):
    torch.manual_seed(14)
    model = nn.Sequential(nn.Linear(4, 4), DictLog(), Pick("logits"), nn.Linear(4, 2))
    culprit = ex.first_nonfinite_module(model, randn(3, 4, seed=14))
    assert culprit == "1", (
        f"module '1' returns {{'logits': finite, 'aux': [NaN], 'step': 3}}; expected '1', got {culprit!r}; likely "
        "cause: dict outputs are not looked into (their values count, at any depth)")
    clean = nn.Sequential(DictLog(), Pick("logits"), nn.Linear(4, 2))
    culprit = ex.first_nonfinite_module(clean, randn(3, 4, seed=14).abs() + 0.5)
    assert culprit is None, f"log of a positive input is finite everywhere; expected None, got {culprit!r}"


def test_the_forward_runs_to_its_end(ex):
    torch.manual_seed(15)
    counter = Counter()
    model = nn.Sequential(nn.Identity(), visible.Log(), counter, nn.Linear(4, 2))
    culprit = ex.first_nonfinite_module(model, randn(3, 4, seed=15))
    assert culprit == "1", f"log of a negative number is NaN in module '1'; expected '1', got {culprit!r}"
    assert counter.calls == 1, (
        f"the module after the culprit ran {counter.calls} times; expected once: the forward pass runs to its end "
        "(likely cause: an exception raised from the hook to stop early)")
    model = nn.Sequential(visible.Log(), visible.Explodes())
    global_before = visible.global_hook_count()
    with pytest.raises(visible.CorruptFrame):
        ex.first_nonfinite_module(model, randn(3, 4, seed=16))
    visible.assert_no_hooks_left(model, global_before, when="after a forward that raised after the culprit")


def test_a_broken_input_runs_nothing_and_leaves_no_hooks(ex):
    torch.manual_seed(17)
    counter = Counter()
    model = nn.Sequential(counter, visible.make_net(broken=False, seed=17))
    global_before = visible.global_hook_count()
    assert ex.first_nonfinite_module(model, randn(5, 4, seed=17)) is None, "a clean net on a clean input is finite"
    assert counter.calls == 1, f"expected model(x) to run once on a finite input, it ran {counter.calls} times"
    x = randn(5, 4, seed=18)
    x[4, 3] = float("-inf")
    with pytest.raises(ValueError):
        ex.first_nonfinite_module(model, x)
    assert counter.calls == 1, "the input holds -inf, yet the model ran: check x before running anything"
    visible.assert_no_hooks_left(model, global_before, when="after the ValueError for a broken input")
