"""09_deployment/inference_mode: inference tensors, eval-mode forwards, and the caller's mode restored."""

import copy

import pytest
import torch
from torch import nn

from helpers import assert_no_graph, assert_tensor_close, randn


def make_model(seed: int = 0) -> nn.Sequential:
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(6, 12), nn.BatchNorm1d(12), nn.ReLU(), nn.Dropout(0.5), nn.Linear(12, 3))
    with torch.no_grad():
        model[1].running_mean.uniform_(-1.0, 1.0)
        model[1].running_var.uniform_(0.5, 2.0)
    return model


def record_forward_state(model: nn.Module) -> list[tuple[bool, bool]]:
    """Each forward appends (model.training, inference mode enabled) as the model saw them."""
    seen: list[tuple[bool, bool]] = []
    model.register_forward_hook(lambda m, args, out: seen.append((m.training, torch.is_inference_mode_enabled())))
    return seen


def eager_eval(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    twin = copy.deepcopy(model).eval()
    with torch.no_grad():
        return twin(x)


def test_output_is_an_inference_tensor_of_the_eval_model(ex):
    model, x = make_model(), randn(5, 6, seed=1)
    expected = eager_eval(model, x)
    out = ex.predict(model, x)
    assert_no_graph(out, what="predict() output")
    assert out.is_inference(), (
        "expected an inference tensor (out.is_inference() is True); torch.no_grad() only skips the graph, "
        "use torch.inference_mode()")
    assert_tensor_close(out, expected, atol=1e-6, rtol=1e-6, what="predict() output",
                        hint="the model must be in eval mode: Dropout off, BatchNorm on its running statistics")


def test_repeated_calls_agree_and_buffers_stay(ex):
    model, x = make_model(2).train(), randn(5, 6, seed=2)
    buffers = {name: b.clone() for name, b in model.named_buffers()}
    first, second = ex.predict(model, x), ex.predict(model, x)
    assert torch.equal(first, second), "two predictions on the same input differ: Dropout is active (call model.eval())"
    for name, b in model.named_buffers():
        assert torch.equal(b, buffers[name]), f"buffer {name} changed: BatchNorm ran in training mode"


@pytest.mark.parametrize("caller_mode", ["train", "eval"])
def test_the_callers_mode_is_restored(ex, caller_mode):
    model = make_model(3).train(caller_mode == "train")
    seen = record_forward_state(model)
    ex.predict(model, randn(4, 6, seed=3))
    assert seen == [(False, True)], (
        f"expected one forward in eval mode inside inference_mode, saw (training, inference_mode) = {seen}")
    assert model.training == (caller_mode == "train"), (
        f"the caller had the model in {caller_mode} mode; after predict() model.training is {model.training} "
        "(remember model.training and restore it, rather than calling model.train())")
