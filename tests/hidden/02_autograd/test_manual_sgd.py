"""02_autograd/manual_sgd, hidden: missing grads, lists and generators, float64, longer runs, the caller's grad mode."""

import copy

import pytest
import torch
from torch import nn

from helpers import assert_tensor_close, randn, visible_tests

visible = visible_tests(__file__)


def test_parameters_without_a_gradient_are_skipped(ex):
    model = visible.make_model()
    model[0].weight.requires_grad_(False)  # frozen: its .grad stays None
    frozen = model[0].weight.detach().clone()
    visible.loss_of(model).backward()
    visible.sgd_step(ex, list(model.parameters()), lr=0.1)
    assert_tensor_close(model[0].weight.detach(), frozen, atol=0, rtol=0, what="a parameter whose .grad is None",
                        hint="skip parameters with no gradient")
    assert model[2].weight.grad is None or not bool(model[2].weight.grad.any()), "gradients were not cleared"


@pytest.mark.parametrize("lr", [0.03, 0.7])
def test_long_float64_run_matches_torch_optim_sgd(ex, lr):
    model = visible.make_model(seed=4).double()
    reference = copy.deepcopy(model)
    optimizer = torch.optim.SGD(reference.parameters(), lr=lr)
    inputs, targets = randn(8, 4, seed=5, dtype=torch.float64), randn(8, 2, seed=6, dtype=torch.float64)
    for _ in range(6):
        nn.functional.mse_loss(model(inputs), targets).backward()
        visible.sgd_step(ex, (param for param in model.parameters()), lr)
        optimizer.zero_grad()
        nn.functional.mse_loss(reference(inputs), targets).backward()
        optimizer.step()
    for (name, param), expected in zip(model.named_parameters(), reference.parameters()):
        assert_tensor_close(param, expected, atol=1e-12, rtol=1e-10, what=f"float64 {name} after 6 steps at lr={lr}",
                            hint="p <- p - lr * grad for each parameter, gradients cleared after every step")
    assert torch.is_grad_enabled(), "sgd_step_ left autograd switched off: use `with torch.no_grad():`"


def graph_size(tensor: torch.Tensor) -> int:
    """Number of autograd nodes reachable from tensor.grad_fn."""
    seen, stack = set(), [tensor.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        stack.extend(next_node for next_node, _ in node.next_functions)
    return len(seen)


def test_no_history_builds_up_across_steps(ex):
    model = visible.make_model(seed=7)
    start = [param.detach().clone() for param in model.parameters()]
    initial_size = graph_size(visible.loss_of(model))
    for step in range(4):
        visible.loss_of(model, seed=step).backward()
        visible.sgd_step(ex, model.parameters(), lr=0.05)
    unmoved = [name for (name, param), old in zip(model.named_parameters(), start) if torch.equal(param.detach(), old)]
    assert not unmoved, (
        f"after four steps at lr=0.05 expected every parameter to have moved, but {', '.join(unmoved)} still hold "
        f"their initial values; likely cause: sgd_step_ did not update the parameters. {visible.REBIND}")
    leaves = all(param.is_leaf and param.grad_fn is None and param.requires_grad for param in model.parameters())
    assert leaves, "after four steps some parameters are no longer plain leaves with requires_grad=True"
    size = graph_size(visible.loss_of(model))
    assert size == initial_size, (
        f"the loss's autograd graph grew from {initial_size} to {size} nodes over four steps: the updates were "
        "recorded into the parameters' history; update in place under torch.no_grad()")


@pytest.mark.parametrize("grad_enabled", [True, False])
def test_legacy_to_modern_keeps_the_callers_grad_mode(ex, grad_enabled):
    model = visible.make_model(seed=8)
    seen = visible.record_grad_mode(model)
    with torch.set_grad_enabled(grad_enabled):
        probs = ex.legacy_to_modern(model, randn(3, 4, seed=9))
        assert torch.is_grad_enabled() == grad_enabled, (
            f"the caller had grad mode {grad_enabled}, legacy_to_modern() left it {torch.is_grad_enabled()}: "
            "use a `with torch.no_grad():` block, not torch.set_grad_enabled(False)")
    assert seen == [False], f"expected one forward pass with autograd off, saw grad modes {seen}"
    assert_tensor_close(probs.sum(dim=1), torch.ones(3), atol=1e-6, rtol=0, what="probabilities summed over classes",
                        hint="softmax over dim=1 (the class dimension)")


def test_legacy_to_modern_on_a_larger_model(ex):
    torch.manual_seed(10)
    model = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 5))
    images = randn(7, 6, seed=10)
    probs = ex.legacy_to_modern(model, images)
    with torch.no_grad():
        expected = torch.softmax(model(images), dim=1)
    assert_tensor_close(probs, expected, atol=1e-6, rtol=1e-6, what="probabilities for 7 samples and 5 classes")
    assert all(param.grad is None for param in model.parameters()), "scoring must not produce parameter gradients"


@pytest.mark.parametrize("train", [True, False])
def test_legacy_to_modern_keeps_the_models_mode(ex, train):
    torch.manual_seed(11)
    model = nn.Sequential(nn.Linear(4, 6), nn.Dropout(0.5), nn.Linear(6, 3)).train(train)
    images = randn(5, 4, seed=12)
    torch.manual_seed(13)
    probs = ex.legacy_to_modern(model, images)
    modes = [module.training for module in model.modules()]
    assert modes == [train] * len(modes), (
        f"the caller left the model with training={train}, legacy_to_modern() left the modules' training flags "
        f"{modes}; like the 0.3 code, it must not call model.eval() or model.train()")
    torch.manual_seed(13)
    with torch.no_grad():
        expected = torch.softmax(model(images), dim=1)
    assert_tensor_close(probs, expected, atol=1e-6, rtol=1e-6,
                        what=f"probabilities with the model in {'training' if train else 'eval'} mode",
                        hint="run the model in the mode the caller left it in (dropout active in training mode), "
                             "softmax over dim=1")
