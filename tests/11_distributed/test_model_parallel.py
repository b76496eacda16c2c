"""11_distributed/model_parallel: stages on their devices, activations that follow, micro-batches that add up.

Without GPUs, the "meta" device (shapes and dtypes, no data) stands in for a second device: a tensor left on
the wrong device fails there exactly as it would between two GPUs.
"""

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from helpers import assert_shape, assert_tensor_close, randn

SIZES = dict(in_features=6, hidden=10, num_classes=3)
EXPECTED_SHAPES = {
    "stage1.0.weight": (10, 6), "stage1.0.bias": (10,), "stage1.2.weight": (10, 10), "stage1.2.bias": (10,),
    "stage2.0.weight": (3, 10), "stage2.0.bias": (3,),
}


def build(ex, dev0="cpu", dev1="cpu", split_size=None, seed=0, **sizes):
    torch.manual_seed(seed)
    return ex.TwoStageModel(dev0, dev1, **{**SIZES, **sizes}, split_size=split_size)


def reference_forward(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """The same network on one device, written out from the model's own weights."""
    w = {name: p.detach().to("cpu") for name, p in model.state_dict().items()}
    h = F.relu(F.linear(x, w["stage1.0.weight"], w["stage1.0.bias"]))
    h = F.relu(F.linear(h, w["stage1.2.weight"], w["stage1.2.bias"]))
    return F.linear(h, w["stage2.0.weight"], w["stage2.0.bias"])


def forward_across(model, x: torch.Tensor, dev0: str, dev1: str) -> torch.Tensor:
    """model(x), turning a device mismatch into a message that says which hand-over was missed."""
    try:
        return model(x)
    except RuntimeError as err:
        if "device" not in str(err):
            raise
        raise AssertionError(
            f"forward failed with dev0={dev0}, dev1={dev1} and the input on {x.device}: {err}\n  likely cause: a "
            "tensor was left behind: move the input to dev0 before stage 1 and stage 1's output to dev1 before "
            "stage 2 (every micro-batch too)") from None


# dev0="meta" shows a layer left where nn.Linear builds it (the CPU); dev1="meta" shows a stage built on dev0
@pytest.mark.parametrize("dev0,dev1", [("cpu", "meta"), ("meta", "cpu")])
def test_each_stage_lives_on_its_device(ex, dev0, dev1):
    model = build(ex, dev0, dev1)
    shapes = {name: tuple(p.shape) for name, p in model.state_dict().items()}
    assert shapes == EXPECTED_SHAPES, (
        f"expected the parameters {EXPECTED_SHAPES}, got {shapes} (stage1 = Linear, ReLU, Linear, ReLU; "
        "stage2 = Sequential(Linear))")
    for name, p in model.named_parameters():
        expected = dev0 if name.startswith("stage1.") else dev1
        assert p.device.type == expected, (
            f"{name} is on {p.device}, expected dev0={dev0} for stage1 and dev1={dev1} for stage2 "
            "(move each whole stage to its own device, every layer of it: .to(dev0) / .to(dev1))")


def test_activations_follow_to_the_second_device(ex):
    model = build(ex, "cpu", "meta")
    out = forward_across(model, randn(5, 6, seed=1), "cpu", "meta")
    assert_shape(out, (5, 3), what="output", hint="stage 2 must get stage 1's activations")
    assert out.device.type == "meta", (
        f"expected the output on dev1 (meta), got {out.device} (return stage 2's output where it was computed)")


def test_the_input_is_moved_to_the_first_device(ex):
    model = build(ex, "meta", "meta")
    out = forward_across(model, randn(4, 6, seed=2), "meta", "meta")  # the caller's batch is on the CPU
    assert_shape(out, (4, 3), what="output")
    assert out.device.type == "meta"


def test_outputs_equal_the_unsplit_network(ex):
    model = build(ex)
    x = randn(7, 6, seed=3)
    assert_tensor_close(model(x), reference_forward(model, x), atol=1e-6, rtol=1e-5, what="output on cpu/cpu",
                        hint="stage1 = Linear, ReLU, Linear, ReLU, then stage2 = Linear, in that order")


def test_micro_batches_give_the_same_outputs_and_gradients(ex):
    whole, piped = build(ex, split_size=None), build(ex, split_size=3)
    piped.load_state_dict(whole.state_dict())
    chunks = []
    piped.stage1.register_forward_pre_hook(lambda module, args: chunks.append(args[0].shape[0]))
    x = randn(10, 6, seed=4)
    target = randn(10, 3, seed=5)
    expected, out = whole(x), piped(x)
    assert chunks == [3, 3, 3, 1], (
        f"with split_size=3 a batch of 10 must go through stage 1 as chunks of [3, 3, 3, 1] rows, got {chunks}")
    assert_tensor_close(out, expected, atol=1e-6, rtol=1e-5, what="output with split_size=3",
                        hint="concatenate the chunks' outputs in order, the short last chunk included")
    F.mse_loss(expected, target).backward()
    F.mse_loss(out, target).backward()
    for (name, p), q in zip(piped.named_parameters(), whole.parameters()):
        assert_tensor_close(p.grad, q.grad, atol=1e-6, rtol=1e-5, what=f"{name}.grad with micro-batches")


def test_a_training_step_reaches_both_stages(ex):
    model = build(ex, seed=6)
    x, target = randn(16, 6, seed=7), randn(16, 3, seed=8)
    loss = F.mse_loss(model(x), target)
    loss.backward()
    for name, p in model.named_parameters():
        assert p.grad is not None and bool(p.grad.abs().sum() > 0), f"{name} got no gradient"
    with torch.no_grad():
        for p in model.parameters():
            p -= 0.05 * p.grad
        assert F.mse_loss(model(x), target).item() < loss.item(), "one gradient step should lower the loss"


def gpus(count: int):
    return pytest.mark.skipif(torch.cuda.device_count() < count, reason=f"needs {count} CUDA devices")


@pytest.mark.cuda
def test_cpu_and_gpu_split(ex):
    model = build(ex, "cpu", "cuda", split_size=4)
    x = randn(9, 6, seed=9)
    out = model(x)
    assert out.device.type == "cuda"
    assert_tensor_close(out.cpu(), reference_forward(model, x), atol=1e-5, rtol=1e-4, what="cpu -> cuda output")
    out.sum().backward()
    assert model.stage1[0].weight.grad.device.type == "cpu" and model.stage2[0].weight.grad.device.type == "cuda"


@pytest.mark.cuda
@gpus(2)
def test_two_gpus(ex):
    model = build(ex, "cuda:0", "cuda:1", split_size=3)
    for name, p in model.named_parameters():
        assert p.device == torch.device("cuda:0" if name.startswith("stage1.") else "cuda:1"), f"{name} on {p.device}"
    x = randn(8, 6, seed=10)  # on the CPU: forward moves it
    out = model(x)
    assert out.device == torch.device("cuda:1"), f"expected the output on cuda:1, got {out.device}"
    assert_tensor_close(out.cpu(), reference_forward(model, x), atol=1e-5, rtol=1e-4, what="two-GPU output")
    F.mse_loss(out, randn(8, 3, seed=11, device="cuda:1")).backward()
    assert model.stage1[0].weight.grad.device == torch.device("cuda:0")
    assert model.stage2[0].weight.grad.device == torch.device("cuda:1")
