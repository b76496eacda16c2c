"""08_debugging/gradient_flow, hidden: frozen and unused parameters, root parameters, thresholds, random models."""

import pytest
import torch
from torch import nn

from helpers import randn, visible_tests

visible = visible_tests(__file__)


class WithRootScale(nn.Module):
    """A parameter owned by the model itself, a frozen layer and a layer that never runs."""

    def __init__(self) -> None:
        super().__init__()
        self.scale = nn.Parameter(torch.tensor(0.5))
        self.frozen = nn.Linear(4, 4)
        self.body = nn.Linear(4, 3)
        self.unused = nn.Linear(3, 3)
        for p in self.frozen.parameters():
            p.requires_grad_(False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.scale * self.body(torch.relu(self.frozen(x)))


def test_frozen_parameters_are_left_out_and_unused_ones_report_zero(ex):
    torch.manual_seed(5)
    model, x = WithRootScale(), randn(5, 4, seed=5)
    expected = visible.reference_norms(model, x)
    norms = ex.gradient_norms(model, visible.loss_of(model, x))
    assert "frozen.weight" not in norms, "frozen parameters (requires_grad=False) must be left out"
    visible.check_norms(norms, expected)
    assert norms["unused.weight"] == 0.0 and norms["unused.bias"] == 0.0


def test_a_root_parameter_belongs_to_layer_empty_string(ex):
    norms = {"scale": 1e-9, "body.weight": 0.2, "body.bias": 0.1, "unused.weight": 0.0, "unused.bias": 0.0}
    layers = ex.vanishing_layers(norms, 1e-6)
    assert layers == ["", "unused"], (
        f"expected ['', 'unused'] (a parameter of the model itself belongs to layer ''), got {layers}")


def test_threshold_is_strict(ex):
    norms = {"a.weight": 3.0, "a.bias": 4.0, "b.weight": 4.999}
    layers = ex.vanishing_layers(norms, 5.0)
    assert layers == ["b"], (
        f"layer a has norm exactly 5.0 = threshold (not strictly below), b has 4.999; expected ['b'], got {layers}")


def test_nothing_vanishes_in_a_shallow_relu_net(ex):
    torch.manual_seed(6)
    model = nn.Sequential(nn.Linear(6, 6), nn.ReLU(), nn.Linear(6, 2))
    x = randn(10, 6, seed=6)
    assert ex.vanishing_layers(ex.gradient_norms(model, visible.loss_of(model, x)), 1e-4) == []


def test_random_models_match_a_plain_backward(ex):
    for seed in range(3):
        model, x = visible.sigmoid_stack(depth=2 + seed, width=5, seed=40 + seed), randn(4, 5, seed=50 + seed)
        visible.check_norms(ex.gradient_norms(model, visible.loss_of(model, x)), visible.reference_norms(model, x))


class Tower(nn.Module):
    """Nested names (``blocks.0.fc.weight``) whose owners have two dots: the layer is all but the last part."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks = nn.Sequential(*[nn.Sequential() for _ in range(2)])
        for block in self.blocks:
            block.add_module("fc", nn.Linear(3, 3))
        self.out = nn.Linear(3, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(torch.tanh(self.blocks(x)))


def test_a_loss_cut_off_from_every_parameter_reports_zeros(ex):
    torch.manual_seed(11)
    model = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2))
    loss = (model(randn(4, 3, seed=11)).detach() ** 2).mean()
    norms = ex.gradient_norms(model, loss)
    assert norms == {"0.weight": 0.0, "0.bias": 0.0, "1.weight": 0.0, "1.bias": 0.0}, (
        f"the loss was computed from a detached output (loss.requires_grad is {loss.requires_grad}), so no gradient "
        f"reaches any parameter: expected 0.0 for all four, got {norms!r:.120}; likely cause: torch.autograd.grad "
        "raises on a loss without grad_fn, check loss.requires_grad first")


def test_no_trainable_parameters_gives_an_empty_dict(ex):
    torch.manual_seed(12)
    model = nn.Linear(3, 2).requires_grad_(False)
    x = randn(4, 3, seed=12).requires_grad_(True)  # the loss needs grad through x, not through any parameter
    norms = ex.gradient_norms(model, visible.loss_of(model, x))
    assert norms == {}, f"every parameter is frozen, expected {{}}, got {norms!r}"
    assert x.grad is None, "gradient_norms() wrote x.grad: only parameters are probed, and nothing is written"


def test_an_input_that_requires_grad_gets_no_grad(ex):
    model = visible.sigmoid_stack(depth=2, width=4, seed=13)
    x = randn(6, 4, seed=13).requires_grad_(True)
    expected = visible.reference_norms(model, x.detach())
    visible.check_norms(ex.gradient_norms(model, visible.loss_of(model, x)), expected)
    assert x.grad is None, (
        f"x.grad is a tensor of shape {tuple(x.grad.shape)} after the call; expected None: the probe writes no "
        "tensor's .grad; likely cause: loss.backward() without inputs= (torch.autograd.grad writes nothing)")


def test_layers_come_in_first_appearance_order_not_sorted(ex):
    model, x = visible.sigmoid_stack(depth=12, width=6, seed=14), randn(16, 6, seed=14)
    norms = ex.gradient_norms(model, visible.loss_of(model, x))
    layers = [name.rpartition(".")[0] for name, _ in model.named_parameters()][::2]  # weight, bias per layer
    assert layers[-1] == "22", f"expected 12 Linear layers 0, 2, ..., 22, got {layers}"
    everything = ex.vanishing_layers(norms, float("inf"))
    assert everything == layers, (
        f"with threshold inf every layer vanishes; expected them in the order they appear in norms {layers}, got "
        f"{everything}; likely cause: sorted() puts '10' before '2'")


def test_grouping_nested_names_out_of_order_and_norms_untouched(ex):
    torch.manual_seed(15)
    model, x = Tower(), randn(5, 3, seed=15)
    norms = ex.gradient_norms(model, visible.loss_of(model, x))
    assert list(norms) == ["blocks.0.fc.weight", "blocks.0.fc.bias", "blocks.1.fc.weight", "blocks.1.fc.bias",
                           "out.weight", "out.bias"], f"unexpected names {list(norms)}"
    layers = ex.vanishing_layers(norms, float("inf"))
    assert layers == ["blocks.0.fc", "blocks.1.fc", "out"], (
        f"expected the owning modules ['blocks.0.fc', 'blocks.1.fc', 'out'] (the name without its LAST dotted part), "
        f"got {layers}")
    mixed = {"b.weight": 0.3, "a.weight": 0.6, "b.bias": 0.4, "c.weight": 2.0, "a.bias": 0.8}
    copy_of = dict(mixed)
    got = ex.vanishing_layers(mixed, 1.0 + 1e-9)
    assert got == ["b", "a"], (
        f"a.weight and a.bias are not next to each other but form one layer of norm 1.0 < 1.0 + 1e-9; expected "
        f"['b', 'a'] in first-appearance order, got {got}")
    assert mixed == copy_of and list(mixed) == list(copy_of), (
        f"vanishing_layers() changed its argument: {copy_of} became {mixed}; norms must be left unchanged")
