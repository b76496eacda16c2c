"""02_autograd/manual_sgd: an in-place SGD step that keeps leaves leaves, and 0.3-era inference rewritten."""

import copy

import torch
from torch import nn

from helpers import assert_no_graph, assert_tensor_close, randn

REBIND = ("`p = p - lr * p.grad` only rebinds the loop variable to a new, non-leaf tensor; the model keeps its old "
          "parameter: update in place with p.add_(p.grad, alpha=-lr) (or p -= lr * p.grad) under torch.no_grad()")


def make_model(seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 2))


def batch(seed: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    return randn(6, 4, seed=seed), randn(6, 2, seed=seed + 100)


def loss_of(model: nn.Module, seed: int = 1) -> torch.Tensor:
    inputs, targets = batch(seed)
    return nn.functional.mse_loss(model(inputs), targets)


def sgd_step(ex, params, lr: float) -> None:
    """ex.sgd_step_, with autograd's in-place-on-a-leaf error explained."""
    try:
        ex.sgd_step_(params, lr)
    except RuntimeError as err:
        if "leaf Variable that requires grad" in str(err):
            raise AssertionError(f"sgd_step_ raised: {err}\n  likely cause: the in-place update ran with autograd "
                                 "recording; wrap the loop in `with torch.no_grad():`") from None
        raise


def record_grad_mode(model: nn.Module) -> list[bool]:
    seen: list[bool] = []
    model.register_forward_hook(lambda module, args, out: seen.append(torch.is_grad_enabled()))
    return seen


def test_three_steps_match_torch_optim_sgd(ex):
    model = make_model()
    reference = copy.deepcopy(model)
    optimizer = torch.optim.SGD(reference.parameters(), lr=0.1)
    for step in range(3):
        loss_of(model, seed=step).backward()
        sgd_step(ex, model.parameters(), lr=0.1)
        optimizer.zero_grad()
        loss_of(reference, seed=step).backward()
        optimizer.step()
        for (name, param), expected in zip(model.named_parameters(), reference.parameters()):
            assert_tensor_close(param, expected, atol=1e-6, rtol=1e-6, what=f"{name} after step {step + 1}",
                                hint=REBIND if step == 0 else
                                "gradients from the previous step were still in .grad: clear them after updating "
                                "(model.parameters() is a generator: iterate it once, clearing as you go)")


def test_parameters_stay_the_same_leaf_objects(ex):
    model = make_model()
    before = [(name, param, param.detach().clone()) for name, param in model.named_parameters()]
    loss_of(model).backward()
    sgd_step(ex, model.parameters(), lr=0.5)
    for (name, original, old_value), (_, current) in zip(before, model.named_parameters()):
        same_object = current is original
        assert same_object, f"model.{name} is a different object after the step; update the parameter in place"
        moved = not torch.equal(current.detach(), old_value)
        assert moved, f"model.{name} did not change; likely cause: {REBIND}"
        leaf_ok = current.is_leaf and current.requires_grad and current.grad_fn is None
        assert leaf_ok, (
            f"model.{name} should still be a leaf with requires_grad=True and no grad_fn, "
            f"got is_leaf={current.is_leaf}, requires_grad={current.requires_grad}, grad_fn={current.grad_fn}; "
            "do the update under torch.no_grad()")


def test_autograd_sees_the_update(ex):
    model = make_model(seed=5)
    loss_of(model, seed=6).backward()
    weight = model[2].weight
    before = weight.detach().clone()
    probe = (weight * weight).sum()  # saves the weight for its backward, as any graph built before the step would
    sgd_step(ex, model.parameters(), lr=0.3)
    moved = not torch.equal(weight.detach(), before)
    assert moved, f"model[2].weight did not change at lr=0.3; likely cause: {REBIND}"
    try:
        probe.backward()
    except RuntimeError as err:
        assert "modified by an inplace operation" in str(err), f"unexpected error from the stale graph: {err}"
    else:
        raise AssertionError(
            "a graph that saved model[2].weight before the step backpropagated afterwards without an error, "
            "silently using the updated values; expected autograd's 'modified by an inplace operation' error. "
            "Likely cause: the update went through p.data, which hides it from autograd's version counter: "
            "update the parameter itself under torch.no_grad()")


def test_gradients_are_cleared(ex):
    model = make_model()
    loss_of(model).backward()
    sgd_step(ex, model.parameters(), lr=0.1)
    for name, param in model.named_parameters():
        cleared = param.grad is None or not bool(param.grad.any())
        assert cleared, (f"{name}.grad still holds the old gradient after the step; set it to None (or zero it), "
                         "otherwise the next backward() adds to it")


def test_legacy_to_modern_scores_without_a_graph(ex):
    model = make_model(seed=2)
    seen = record_grad_mode(model)
    images = randn(5, 4, seed=3)
    probs = ex.legacy_to_modern(model, images)
    with torch.no_grad():
        expected = torch.softmax(model(images), dim=1)
    assert seen and not seen[0], (
        "the model ran with autograd recording: Variable(..., volatile=True) has no effect any more, "
        "wrap the forward pass in torch.no_grad() (or torch.inference_mode())")
    assert_tensor_close(probs, expected, atol=1e-6, rtol=1e-6, what="legacy_to_modern() probabilities",
                        hint="softmax over dim=1 of the model's outputs")
    assert_no_graph(probs, what="legacy_to_modern()'s result")
