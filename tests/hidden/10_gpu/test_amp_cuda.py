"""10_gpu/amp_cuda, hidden: no clipping needed, recovery after a skip, frozen layers, class targets, a disabled scaler."""

import pytest
import torch
from torch.nn import functional as F

from helpers import assert_tensor_close, randn, visible_tests

visible = visible_tests(__file__)


def test_small_gradients_are_not_clipped(ex, device):
    model, (x, y) = visible.make_model(device, seed=3), visible.make_batch(device, seed=4)
    reference = visible.copy_of(model, device)
    _, ref_norm = visible.reference_step(reference, x, y, max_norm=1e6)
    _, grad_norm, skipped = visible.run_step(ex, model, visible.make_scaler(device), x, y, max_norm=1e6)
    assert not skipped and grad_norm == pytest.approx(ref_norm, rel=1e-2 if device.type == "cuda" else 1e-4)
    for (name, p), q in zip(model.named_parameters(), reference.parameters()):
        assert_tensor_close(p, q, **visible.tolerances(device), what=f"{name} after an unclipped step")


def test_training_resumes_after_a_skipped_step(ex, device):
    model, (x, y) = visible.make_model(device), visible.make_batch(device)
    scaler = visible.make_scaler(device)
    model[2].armed = True
    _, _, skipped = visible.run_step(ex, model, scaler, x, y, max_norm=1.0)
    assert skipped
    model[2].armed = False
    reference = visible.copy_of(model, device)
    visible.reference_step(reference, x, y, max_norm=1.0)
    _, grad_norm, skipped = visible.run_step(ex, model, scaler, x, y, max_norm=1.0)
    assert not skipped, "the step after an overflow has finite gradients: expected skipped=False"
    assert scaler.get_scale() == 2.0 ** 15, f"expected the scale to stay at 32768, got {scaler.get_scale()}"
    for (name, p), q in zip(model.named_parameters(), reference.parameters()):
        assert_tensor_close(p, q, **visible.tolerances(device), what=f"{name} after the recovery step",
                            hint="stale inf gradients from the skipped step leaked in: zero the gradients first")


def test_frozen_layers_and_class_targets(ex, device):
    model = visible.make_model(device, seed=5)
    model[0].requires_grad_(False)
    x = randn(12, 8, seed=6, device=device)
    labels = torch.arange(12, device=device) % 4
    frozen = model[0].weight.detach().clone()
    optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=visible.LR)
    loss, grad_norm, skipped = visible.unpack(
        ex.amp_clipped_step(model, optimizer, visible.make_scaler(device), F.cross_entropy, x, labels, 0.25))
    assert not skipped and loss > 0
    assert torch.equal(model[0].weight, frozen), "a frozen layer must not move"
    total = torch.sqrt(sum((p.grad.double() ** 2).sum() for p in model.parameters() if p.grad is not None))
    assert float(total) <= 0.25 * 1.001, f"after clipping the gradient norm must be <= 0.25, got {float(total):.4f}"


def test_a_disabled_scaler_gives_a_plain_autocast_step(ex, device):
    model, (x, y) = visible.make_model(device, seed=7), visible.make_batch(device, seed=8)
    reference = visible.copy_of(model, device)
    visible.reference_step(reference, x, y, max_norm=0.5)
    scaler = torch.amp.GradScaler(device.type, enabled=False)
    _, _, skipped = visible.run_step(ex, model, scaler, x, y, max_norm=0.5)
    assert skipped is False
    for (name, p), q in zip(model.named_parameters(), reference.parameters()):
        assert_tensor_close(p, q, **visible.tolerances(device), what=f"{name} with a disabled scaler")


def test_other_batch_and_scale(ex, device):
    model, (x, y) = visible.make_model(device, seed=9), visible.make_batch(device, seed=10, rows=5)
    reference = visible.copy_of(model, device)
    ref_loss, ref_norm = visible.reference_step(reference, x, y, max_norm=0.3)
    loss, grad_norm, _ = visible.run_step(ex, model, visible.make_scaler(device, init_scale=2.0 ** 10), x, y, 0.3)
    assert grad_norm == pytest.approx(ref_norm, rel=1e-2 if device.type == "cuda" else 1e-4), (
        f"with init_scale 1024: expected the unscaled norm {ref_norm:.4f}, got {grad_norm:.4f}")
    assert loss == pytest.approx(ref_loss, rel=1e-2 if device.type == "cuda" else 1e-5)
    for (name, p), q in zip(model.named_parameters(), reference.parameters()):
        assert_tensor_close(p, q, **visible.tolerances(device), what=f"{name} (batch of 5, init_scale 1024)")


def test_a_grown_scale_is_not_a_skip(ex, device):
    model, (x, y) = visible.make_model(device, seed=11), visible.make_batch(device, seed=12)
    scaler = torch.amp.GradScaler(device.type, init_scale=2.0 ** 8, growth_interval=1)  # grows after every good step
    reference = visible.copy_of(model, device)
    visible.reference_step(reference, x, y, max_norm=0.5)
    _, _, skipped = visible.run_step(ex, model, scaler, x, y, max_norm=0.5)
    assert scaler.get_scale() == 2.0 ** 9, f"test setup: a good step with growth_interval=1 doubles the scale"
    assert skipped is False, (
        "the step was taken and the scaler then grew its scale (growth_interval=1); expected skipped=False, got True "
        "(a skip is when update() LOWERS the scale, not when it changes it)")
    for (name, p), q in zip(model.named_parameters(), reference.parameters()):
        assert_tensor_close(p, q, **visible.tolerances(device), what=f"{name} after a step that grew the scale")


def test_finite_gradients_with_an_overflowing_norm_still_step(ex):
    device = torch.device("cpu")  # bfloat16 has float32's range: the huge activations below stay finite
    model, (x, y) = visible.make_model(device, seed=13), visible.make_batch(device, seed=14)
    scaler = visible.make_scaler(device, init_scale=1.0)
    huge = lambda out, target: (out * 3e19).sum()  # noqa: E731  finite gradients whose squared sum overflows float32
    optimizer = torch.optim.SGD(model.parameters(), lr=visible.LR)
    _, grad_norm, skipped = visible.unpack(ex.amp_clipped_step(model, optimizer, scaler, huge, x, y, 1.0))
    assert scaler.get_scale() == 1.0, "test setup: every gradient is finite, so the scaler must not lower its scale"
    assert skipped is False, (
        f"every gradient was finite, so scaler.step() ran optimizer.step(); expected skipped=False, got True with "
        f"grad_norm={grad_norm} (only the scaler knows whether it skipped: compare its scale across update(), do not "
        "guess from the norm)")
