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
