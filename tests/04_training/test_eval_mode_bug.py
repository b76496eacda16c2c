"""04_training/eval_mode_bug: evaluation must not change the model or depend on chance."""

import pytest
import torch
from torch import nn

from helpers import assert_no_graph, assert_tensor_close, randn


def make_model() -> nn.Module:
    """Dropout and BatchNorm, with running statistics far from any batch's, so train-mode forwards stand out."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.5), nn.Linear(16, 3))
    with torch.no_grad():
        model[1].running_mean.uniform_(-2.0, 2.0)
        model[1].running_var.uniform_(0.2, 4.0)
    return model


def make_loader(samples: int = 24, batch_size: int = 8, seed: int = 1) -> list[tuple[torch.Tensor, torch.Tensor]]:
    inputs = randn(samples, 6, seed=seed)
    labels = torch.arange(samples) % 3
    return [(inputs[i:i + batch_size], labels[i:i + batch_size]) for i in range(0, samples, batch_size)]


def reference_logits(model: nn.Module, loader) -> torch.Tensor:
    copy = make_model()
    copy.load_state_dict(model.state_dict())
    copy.eval()
    with torch.no_grad():
        return torch.cat([copy(inputs) for inputs, _ in loader])


def record_forward_state(model: nn.Module) -> list[tuple[bool, bool]]:
    """Each forward appends (model.training, grad enabled) as the model saw them."""
    seen: list[tuple[bool, bool]] = []
    model.register_forward_hook(lambda module, args, out: seen.append((module.training, torch.is_grad_enabled())))
    return seen


def test_repeated_calls_give_identical_results(ex):
    model, loader = make_model(), make_loader()
    seen = record_forward_state(model)
    first_accuracy, first_logits = ex.evaluate(model, loader)
    second_accuracy, second_logits = ex.evaluate(model, loader)
    assert len(seen) == 2 * len(loader), f"expected {2 * len(loader)} forward passes for two calls, saw {len(seen)}"
    assert_tensor_close(second_logits, first_logits, atol=0, rtol=0, what="logits of a second evaluate() call",
                        hint="Dropout is still active: the model is evaluated in training mode (call model.eval())")
    assert first_accuracy == second_accuracy


def test_batchnorm_running_stats_untouched(ex):
    model, loader = make_model(), make_loader()
    before = {name: buffer.clone() for name, buffer in model.named_buffers()}
    seen = record_forward_state(model)
    ex.evaluate(model, loader)
    assert seen, "evaluate() never called the model"
    for name, buffer in model.named_buffers():
        assert_tensor_close(buffer, before[name], atol=0, rtol=0, what=f"buffer {name} after evaluate()",
                            hint="BatchNorm updates its running statistics in training mode: call model.eval()")


def test_no_autograd_graph_is_built(ex):
    model, loader = make_model(), make_loader()
    seen = record_forward_state(model)
    _, logits = ex.evaluate(model, loader)
    assert seen, "evaluate() never called the model"
    assert not any(grad for _, grad in seen), (
        "expected every forward pass to run with gradients disabled, but autograd was recording "
        "(wrap the loop in torch.no_grad() or torch.inference_mode())")
    assert_no_graph(logits, what="returned logits", hint="the forward ran with autograd enabled")


@pytest.mark.parametrize("caller_mode", ["train", "eval"])
def test_callers_mode_is_restored(ex, caller_mode):
    model, loader = make_model(), make_loader()
    model.train(caller_mode == "train")
    seen = record_forward_state(model)
    ex.evaluate(model, loader)
    assert seen, "evaluate() never called the model"
    assert not any(training for training, _ in seen), (
        "expected the model in eval mode during every forward pass, but it was in training mode (call model.eval())")
    assert model.training == (caller_mode == "train"), (
        f"the caller had the model in {caller_mode} mode; after evaluate() model.training is {model.training} "
        "(remember model.training before switching and restore that, not a fixed mode)")
    wrong = [name for name, module in model.named_modules() if name and module.training != (caller_mode == "train")]
    assert not wrong, (
        f"the caller had the whole model in {caller_mode} mode; after evaluate() these submodules are not: {wrong} "
        "(model.train(was_training) sets every submodule; assigning model.training only changes the root)")


def test_accuracy_and_logits_are_those_of_the_deployed_model(ex):
    model, loader = make_model(), make_loader()
    expected_logits = reference_logits(model, loader)
    labels = torch.cat([labels for _, labels in loader])
    expected_accuracy = (expected_logits.argmax(dim=1) == labels).sum().item() / labels.numel()
    accuracy, logits = ex.evaluate(model, loader)
    assert type(accuracy) is float, (
        f"expected the accuracy as a Python float, got {type(accuracy).__module__}.{type(accuracy).__name__}; "
        "count correct predictions with .sum().item() (or call float() on the result)")
    assert_tensor_close(logits, expected_logits, atol=1e-5, rtol=1e-5, what="logits",
                        hint="the model was not in eval mode, or the logits are not in loader order")
    assert accuracy == pytest.approx(expected_accuracy, abs=1e-6), (
        f"expected accuracy {expected_accuracy:.4f}, got {accuracy}")
