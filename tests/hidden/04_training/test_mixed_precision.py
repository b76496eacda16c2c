"""04_training/mixed_precision, hidden: an enabled GradScaler (scaling, skipped overflow steps), several steps."""

import copy

import pytest
import torch

from helpers import assert_tensor_close, visible_tests

visible = visible_tests(__file__)


def enabled_scaler(device: torch.device, init_scale: float = 2.0 ** 10) -> torch.amp.GradScaler:
    return torch.amp.GradScaler(device.type, init_scale=init_scale)


def test_an_enabled_scaler_scales_the_loss(ex, device):
    model = visible.make_model(device, seed=2)
    twin = copy.deepcopy(model)
    x, y = visible.make_batch(2)
    twin_opt = torch.optim.SGD(twin.parameters(), lr=0.1)
    want = visible.reference_step(twin, twin_opt, enabled_scaler(device), x, y, device)
    got = ex.amp_step(model, torch.optim.SGD(model.parameters(), lr=0.1), enabled_scaler(device), x, y, device)
    assert got == pytest.approx(want, rel=1e-6, abs=1e-6), (
        f"expected the unscaled loss {want:.6f}, got {got:.6f} (with init_scale 1024, a scaled loss is 1024x larger)")
    for (name, p), q in zip(model.named_parameters(), twin.parameters()):
        assert_tensor_close(p, q, atol=1e-6, rtol=1e-5, what=f"parameter {name} after a step with an enabled scaler",
                            hint="backward on scaler.scale(loss), since scaler.step() divides the gradients by the "
                                 "scale; a plain loss.backward() makes the step 1024x too small")


def test_overflowing_step_is_skipped_and_the_scale_backs_off(ex, device):
    model = visible.make_model(device, seed=3)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    scaler = enabled_scaler(device)
    before = [p.detach().clone() for p in model.parameters()]
    handle = model[0].weight.register_hook(lambda grad: torch.full_like(grad, float("inf")))
    ex.amp_step(model, opt, scaler, *visible.make_batch(3), device)
    for (name, p), p0 in zip(model.named_parameters(), before):
        assert torch.equal(p.detach(), p0), (
            f"parameter {name} changed although a gradient was inf: step through scaler.step(opt), which skips "
            "overflowing steps, never opt.step() directly")
    assert scaler.get_scale() < 2.0 ** 10, (
        f"expected the loss scale to back off after an overflow, still {scaler.get_scale()}: call scaler.update()")
    handle.remove()
    ex.amp_step(model, opt, scaler, *visible.make_batch(4), device)
    assert any(not torch.equal(p.detach(), p0) for p, p0 in zip(model.parameters(), before)), (
        "expected the next, finite step to update the parameters")


def test_several_steps_keep_float32_and_leave_autocast_off(ex, device):
    model = visible.make_model(device, seed=5)
    twin = copy.deepcopy(model)
    opt, twin_opt = torch.optim.Adam(model.parameters(), lr=1e-2), torch.optim.Adam(twin.parameters(), lr=1e-2)
    scaler, twin_scaler = visible.default_scaler(device), visible.default_scaler(device)
    for seed in range(3):
        x, y = visible.make_batch(10 + seed)
        ex.amp_step(model, opt, scaler, x, y, device)
        visible.reference_step(twin, twin_opt, twin_scaler, x, y, device)
    for (name, p), q in zip(model.named_parameters(), twin.parameters()):
        assert_tensor_close(p, q, atol=1e-5, rtol=1e-4, what=f"parameter {name} after three Adam steps",
                            hint="every step should zero the gradients first and go through the scaler")
    out = model(visible.make_batch(0)[0].to(device))
    assert out.dtype == torch.float32, (
        f"after amp_step, a plain forward gave {out.dtype}: autocast must only cover the step's own forward "
        "(use it as a `with` block)")
