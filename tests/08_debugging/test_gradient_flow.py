"""08_debugging/gradient_flow: per-parameter gradient norms that leave .grad alone, grouped into layers."""

import copy

import pytest
import torch
from torch import nn

from helpers import randn


def sigmoid_stack(depth: int = 9, width: int = 16, seed: int = 0) -> nn.Sequential:
    """Linear+Sigmoid pairs, then a Linear head: the textbook vanishing-gradient network (layers 0, 2, 4, ...)."""
    torch.manual_seed(seed)
    layers: list[nn.Module] = []
    for _ in range(depth - 1):
        layers += [nn.Linear(width, width), nn.Sigmoid()]
    return nn.Sequential(*layers, nn.Linear(width, 1))


class CutNet(nn.Module):
    """A stray .detach() between `early` and `late`: no gradient reaches `early`."""

    def __init__(self) -> None:
        super().__init__()
        self.early = nn.Linear(4, 8)
        self.late = nn.Linear(8, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.late(torch.relu(self.early(x)).detach())


def loss_of(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    return (model(x) ** 2).mean()


def reference_norms(model: nn.Module, x: torch.Tensor) -> dict[str, float]:
    """The same norms from a fresh copy and a plain backward."""
    twin = copy.deepcopy(model)
    twin.zero_grad(set_to_none=True)
    loss_of(twin, x).backward()
    return {name: (p.grad.norm().item() if p.grad is not None else 0.0)
            for name, p in twin.named_parameters() if p.requires_grad}


def check_norms(norms, expected: dict[str, float]) -> None:
    assert isinstance(norms, dict), f"expected a dict name -> float, got {type(norms).__name__}"
    assert list(norms) == list(expected), (
        f"expected one entry per trainable parameter in named_parameters() order: {list(expected)}; got "
        f"{list(norms)} (a parameter that gets no gradient must report 0.0, not go missing)")
    for name, value in expected.items():
        assert type(norms[name]) is float, f"{name}: expected a Python float, got {type(norms[name]).__name__}"
        assert norms[name] == pytest.approx(value, rel=1e-4, abs=1e-12), (
            f"{name}: expected gradient norm {value:.6g}, got {norms[name]:.6g}; were stale .grad values added in?")


def test_norms_match_a_plain_backward(ex):
    model, x = sigmoid_stack(depth=4), randn(8, 16, seed=1)
    expected = reference_norms(model, x)
    check_norms(ex.gradient_norms(model, loss_of(model, x)), expected)


def test_grad_fields_are_left_exactly_as_they_were(ex):
    model, x = sigmoid_stack(depth=3), randn(8, 16, seed=2)
    expected = reference_norms(model, x)
    for p in model.parameters():
        p.grad = torch.full_like(p, 5.0)  # stale gradients from an earlier backward
    model[-1].bias.grad = None
    before = {name: p.grad for name, p in model.named_parameters()}
    norms = ex.gradient_norms(model, loss_of(model, x))
    check_norms(norms, expected)
    for name, p in model.named_parameters():
        if name == f"{len(model) - 1}.bias":
            assert p.grad is None, f"{name}.grad was None before the call and is a tensor after it"
        else:
            assert p.grad is not None and torch.equal(p.grad, torch.full_like(p, 5.0)), (
                f"{name}.grad changed during gradient_norms(); a probe must not touch training state "
                "(torch.autograd.grad returns gradients without accumulating them into .grad)")
            assert p.grad is before[name], (
                f"{name}.grad has the old values but is a different tensor object after the call; expected the "
                "very same tensor (an optimizer or a hook holding it would see a copy); likely cause: clones "
                "saved and put back instead of leaving .grad alone")


def test_the_graph_survives_for_the_training_step(ex):
    model, x = sigmoid_stack(depth=3, width=6, seed=7), randn(5, 6, seed=7)
    expected = reference_norms(model, x)
    loss = loss_of(model, x)
    check_norms(ex.gradient_norms(model, loss), expected)
    try:
        loss.backward()  # the training step the probe was inserted into goes on
    except RuntimeError as err:
        raise AssertionError(
            f"loss.backward() after gradient_norms(model, loss) raised {err!s:.90}; expected the graph to stay "
            "usable; likely cause: torch.autograd.grad (or backward) without retain_graph=True") from None
    for name, p in model.named_parameters():
        want = expected[name]
        got = p.grad.norm().item() if p.grad is not None else 0.0
        assert got == pytest.approx(want, rel=1e-4, abs=1e-12), (
            f"{name}: after the caller's own backward, expected .grad norm {want:.6g}, got {got:.6g}; the probe "
            "must leave .grad empty so the training step's backward finds it as it was")


def test_a_cut_off_layer_reports_zero(ex):
    torch.manual_seed(3)
    model, x = CutNet(), randn(6, 4, seed=3)
    norms = ex.gradient_norms(model, loss_of(model, x))
    assert list(norms) == ["early.weight", "early.bias", "late.weight", "late.bias"], (
        f"expected all four parameters, got {list(norms)}: the detached layer must appear with 0.0, "
        "it is the one you are hunting")
    assert norms["early.weight"] == 0.0 and norms["early.bias"] == 0.0, (
        f"expected 0.0 for the cut-off layer, got {norms['early.weight']} and {norms['early.bias']}")
    assert norms["late.weight"] > 0.0


def test_vanishing_layers_combine_a_layers_parameters(ex):
    norms = {"0.weight": 6e-4, "0.bias": 8e-4,   # layer norm 1e-3
             "1.weight": 5e-4, "1.bias": 5e-4,   # layer norm ~7.1e-4
             "2.weight": 0.3, "2.bias": 0.0}     # a zero bias in a healthy layer
    layers = ex.vanishing_layers(norms, 9e-4)
    assert layers == ["1"], (
        f"expected ['1'] (layer norms: '0' 1e-3, '1' 7.1e-4, '2' 0.3 = sqrt of the sum of squared parameter "
        f"norms), got {layers}; did you add the norms, or judge parameters one by one?")


def test_deep_sigmoid_stack_vanishes_at_the_bottom(ex):
    model, x = sigmoid_stack(), randn(32, 16, seed=4)
    layers = ex.vanishing_layers(ex.gradient_norms(model, loss_of(model, x)), 1e-4)
    assert layers == ["0", "2", "4", "6", "8"], (
        f"expected the five bottom Linear layers of the sigmoid stack to vanish below 1e-4, got {layers}")
