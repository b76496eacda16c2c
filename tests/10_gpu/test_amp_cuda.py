"""10_gpu/amp_cuda: autocast in the device's low precision, scaled backward, unscale_ before clip, skipped bad steps."""

import math

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from helpers import assert_tensor_close, assert_tensor_equal, randn

LR = 0.1


class _InfGradient(torch.autograd.Function):
    """Identity forward; backward hands on an all-inf gradient, as a float16 overflow would."""

    @staticmethod
    def forward(ctx, x):
        return x.clone()

    @staticmethod
    def backward(ctx, grad):
        return torch.full_like(grad, float("inf"))


class Overflow(nn.Module):
    """Passes activations through; when ``armed``, the gradient coming back through it overflows."""

    def __init__(self) -> None:
        super().__init__()
        self.armed = False

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _InfGradient.apply(x) if self.armed else x


def make_model(device: torch.device, seed: int = 0) -> nn.Sequential:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(8, 32), nn.ReLU(), Overflow(), nn.Linear(32, 4)).to(device)


def make_batch(device: torch.device, seed: int = 1, rows: int = 16) -> tuple[torch.Tensor, torch.Tensor]:
    return randn(rows, 8, seed=seed, device=device), 3.0 * randn(rows, 4, seed=seed + 1, device=device)


def make_scaler(device: torch.device, init_scale: float = 2.0 ** 16) -> torch.amp.GradScaler:
    return torch.amp.GradScaler(device.type, init_scale=init_scale)


def low_dtype(device: torch.device) -> torch.dtype:
    return torch.float16 if device.type == "cuda" else torch.bfloat16


def copy_of(model: nn.Module, device: torch.device) -> nn.Sequential:
    twin = make_model(device)
    twin.load_state_dict(model.state_dict())
    return twin


def reference_step(model: nn.Module, x: torch.Tensor, y: torch.Tensor, max_norm: float) -> tuple[float, float]:
    """The same autocast step without a scaler, clipped by hand: what the scaled step must equal."""
    model.zero_grad(set_to_none=True)
    with torch.autocast(x.device.type, dtype=low_dtype(x.device)):
        loss = F.mse_loss(model(x), y)
    loss.backward()
    grads = [p.grad for p in model.parameters()]
    norm = float(torch.sqrt(sum((g.double() ** 2).sum() for g in grads)))
    coef = min(1.0, max_norm / (norm + 1e-6))
    with torch.no_grad():
        for p in model.parameters():
            p -= LR * coef * p.grad
    return loss.item(), norm


def tolerances(device: torch.device) -> dict:
    # CPU: scaling by a power of two is exact, so scaled == unscaled up to rounding; CUDA float16 without a
    # scaler (the reference) loses a little to underflow
    return dict(atol=1e-6, rtol=1e-5) if device.type == "cpu" else dict(atol=1e-3, rtol=1e-2)


def unpack(result):
    assert isinstance(result, tuple) and len(result) == 3, (
        f"expected StepResult(loss, grad_norm, skipped), got {type(result).__name__}")
    loss, grad_norm, skipped = result
    assert type(loss) is float, f"loss: expected a Python float, got {type(loss).__name__} (use loss.item())"
    assert type(grad_norm) is float, f"grad_norm: expected a Python float, got {type(grad_norm).__name__}"
    assert type(skipped) is bool, f"skipped: expected a bool, got {type(skipped).__name__}"
    return loss, grad_norm, skipped


def run_step(ex, model, scaler, x, y, max_norm):
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    return unpack(ex.amp_clipped_step(model, optimizer, scaler, F.mse_loss, x, y, max_norm))


def test_forward_runs_in_low_precision_and_weights_stay_float32(ex, device):
    model, (x, y) = make_model(device), make_batch(device)
    seen = []
    model[0].register_forward_hook(lambda module, args, out: seen.append(out.dtype))
    run_step(ex, model, make_scaler(device), x, y, max_norm=100.0)
    assert seen == [low_dtype(device)], (
        f"expected the first Linear to compute in {low_dtype(device)} on {device.type}, got {seen} "
        "(torch.autocast(device_type=inputs.device.type, dtype=float16 on cuda / bfloat16 on cpu))")
    for name, p in model.named_parameters():
        assert p.dtype == torch.float32, f"{name}: master weights must stay float32, got {p.dtype} (no model.half())"
        assert p.grad is not None and p.grad.dtype == torch.float32, f"{name}: expected a float32 gradient"


def test_clipping_sees_the_true_gradients(ex, device):
    model, (x, y) = make_model(device), make_batch(device)
    reference = copy_of(model, device)
    ref_loss, ref_norm = reference_step(reference, x, y, max_norm=0.5)
    assert ref_norm > 1.0, "test setup: the gradient norm must exceed max_norm so that clipping happens"
    loss, grad_norm, skipped = run_step(ex, model, make_scaler(device), x, y, max_norm=0.5)
    assert not skipped, "a step with finite gradients must not be reported as skipped"
    assert grad_norm == pytest.approx(ref_norm, rel=1e-2 if device.type == "cuda" else 1e-4), (
        f"expected the pre-clip norm of the true gradients, {ref_norm:.4f}, got {grad_norm:.4f}"
        + (f" = {grad_norm / ref_norm:.0f} x too large: clipped gradients still multiplied by the loss scale "
           "(call scaler.unscale_(optimizer) before clip_grad_norm_)" if grad_norm > 100 * ref_norm else ""))
    assert loss == pytest.approx(ref_loss, rel=1e-2 if device.type == "cuda" else 1e-5), (
        f"expected the batch loss {ref_loss:.5f}, got {loss} (report loss.item(), not the scaled loss)")
    for (name, p), q in zip(model.named_parameters(), reference.parameters()):
        assert_tensor_close(p, q, **tolerances(device), what=f"{name} after the step",
                            hint="the update must use the unscaled gradients clipped to max_norm")


def test_an_overflowing_step_is_skipped_and_the_scale_lowered(ex, device):
    model, (x, y) = make_model(device), make_batch(device)
    scaler = make_scaler(device)
    model[2].armed = True
    before = [p.detach().clone() for p in model.parameters()]
    loss, grad_norm, skipped = run_step(ex, model, scaler, x, y, max_norm=1.0)
    for (name, p), b in zip(model.named_parameters(), before):
        assert_tensor_equal(p.detach(), b, what=f"{name} after an overflowing step",
                            hint="the weights changed: step through scaler.step(optimizer), which skips inf gradients")
    assert skipped, "the gradients held inf and the step was skipped: expected skipped=True"
    assert not math.isfinite(grad_norm), f"expected an inf/NaN pre-clip norm for inf gradients, got {grad_norm}"
    assert scaler.get_scale() == 2.0 ** 15, (
        f"expected the loss scale halved from 65536 to 32768 after the skipped step, got {scaler.get_scale()} "
        "(call scaler.update() after scaler.step())")


def test_consecutive_steps_match_the_reference(ex, device):
    model = make_model(device)
    reference = copy_of(model, device)
    scaler = make_scaler(device, init_scale=1.0)  # at scale 1, stale gradients are not hidden by the division
    for step in range(3):
        x, y = make_batch(device, seed=10 + step)
        reference_step(reference, x, y, max_norm=0.5)
        _, _, skipped = run_step(ex, model, scaler, x, y, max_norm=0.5)
        assert not skipped
    for (name, p), q in zip(model.named_parameters(), reference.parameters()):
        assert_tensor_close(p, q, **tolerances(device), what=f"{name} after 3 steps",
                            hint="gradients accumulated across steps (zero them first) or the scaler was not updated")


@pytest.mark.cuda
def test_real_float16_overflow_is_skipped_until_the_scale_fits(ex):
    device = torch.device("cuda")
    model, (x, y) = make_model(device), make_batch(device)
    scaler = make_scaler(device, init_scale=2.0 ** 32)  # float16 tops out at 65504: these scaled gradients overflow
    before = [p.detach().clone() for p in model.parameters()]
    _, _, skipped = run_step(ex, model, scaler, x, y, max_norm=1.0)
    assert skipped, "with a loss scale of 2**32 the float16 backward overflows: expected skipped=True"
    for (name, p), b in zip(model.named_parameters(), before):
        assert_tensor_equal(p.detach(), b, what=f"{name} after an overflowing float16 step")
    steps = 1
    while skipped and steps < 40:
        _, _, skipped = run_step(ex, model, scaler, x, y, max_norm=1.0)
        steps += 1
    assert not skipped, f"after {steps} steps the scaler should have backed off far enough for a real step"
    assert scaler.get_scale() < 2.0 ** 32
    assert any(not torch.equal(p, b) for p, b in zip(model.parameters(), before)), "the first finite step must update"


@pytest.mark.cuda
def test_loss_scaling_keeps_tiny_float16_gradients(ex):
    device = torch.device("cuda")
    model, (x, y) = make_model(device), make_batch(device)
    tiny_loss = lambda out, target: 1e-7 * F.mse_loss(out, target)  # noqa: E731  gradients below float16's range
    reference = copy_of(model, device)
    (tiny_loss(reference(x), y)).backward()  # float32, no autocast
    expected = float(torch.sqrt(sum((p.grad.double() ** 2).sum() for p in reference.parameters())))
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    _, grad_norm, skipped = unpack(ex.amp_clipped_step(model, optimizer, make_scaler(device), tiny_loss, x, y, 1e9))
    assert not skipped
    assert grad_norm == pytest.approx(expected, rel=0.05), (
        f"expected the float32 gradient norm {expected:.3e}, got {grad_norm:.3e}: in float16 these gradients "
        "underflow to zero unless the loss is scaled first (scaler.scale(loss).backward())")
