"""04_training/mixed_precision: 16-bit matmuls inside autocast, float32 master weights, the same step as torch.amp's."""

import copy
import warnings

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from helpers import assert_tensor_close, randn

LOW = {"cpu": torch.bfloat16, "cuda": torch.float16}


def make_model(device, seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4)).to(device)


def make_batch(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """On the CPU, as a DataLoader yields it."""
    return randn(6, 8, seed=seed), torch.arange(6) % 4


def default_scaler(device: torch.device) -> torch.amp.GradScaler:
    """The usual set-up: scaling for float16 (CUDA), a disabled pass-through for bfloat16 (CPU)."""
    if device.type == "cuda":
        return torch.amp.GradScaler("cuda", init_scale=2.0 ** 12)
    return torch.amp.GradScaler("cpu", enabled=False)


def reference_step(model, opt, scaler, x, y, device) -> float:
    x, y = x.to(device), y.to(device)
    opt.zero_grad()
    with torch.autocast(device_type=device.type, dtype=LOW[device.type]):
        loss = F.cross_entropy(model(x), y)
    scaler.scale(loss).backward()
    scaler.step(opt)
    scaler.update()
    return loss.item()


def record_linear_output_dtypes(model: nn.Module) -> list[torch.dtype]:
    seen: list[torch.dtype] = []
    for module in model.modules():
        if isinstance(module, nn.Linear):
            module.register_forward_hook(lambda mod, args, out: seen.append(out.dtype))
    return seen


def test_matmuls_run_in_the_low_precision_type(ex, device):
    model = make_model(device)
    seen = record_linear_output_dtypes(model)
    ex.amp_step(model, torch.optim.SGD(model.parameters(), lr=0.1), default_scaler(device), *make_batch(), device)
    want = LOW[device.type]
    assert seen, "amp_step never ran the model"
    assert all(dtype == want for dtype in seen), (
        f"expected every Linear to compute in {want} on {device.type}, got {seen}; run the forward under "
        f"torch.autocast(device_type='{device.type}', dtype={want}) (bfloat16 on the CPU, float16 on CUDA)")


def test_master_weights_and_gradients_stay_float32(ex, device):
    model = make_model(device)
    before = [p.detach().clone() for p in model.parameters()]
    ex.amp_step(model, torch.optim.SGD(model.parameters(), lr=0.1), default_scaler(device), *make_batch(), device)
    for (name, p), p0 in zip(model.named_parameters(), before):
        assert p.dtype == torch.float32, (
            f"parameter {name} is {p.dtype} after amp_step: autocast casts per op and leaves the weights in float32; "
            "never call model.half()/model.to(bfloat16) for mixed precision")
        assert p.grad is not None and p.grad.dtype == torch.float32, (
            f"expected a float32 gradient for {name}, got {None if p.grad is None else p.grad.dtype}")
        assert not torch.equal(p.detach(), p0.to(p.dtype)), f"parameter {name} did not change: did the step run?"


def test_loss_and_update_match_a_reference_amp_step(ex, device):
    model = make_model(device, seed=1)
    twin = copy.deepcopy(model)
    x, y = make_batch(1)
    want = reference_step(twin, torch.optim.SGD(twin.parameters(), lr=0.1), default_scaler(device), x, y, device)
    got = ex.amp_step(model, torch.optim.SGD(model.parameters(), lr=0.1), default_scaler(device), x, y, device)
    assert type(got) is float, f"expected the loss as a Python float (loss.item()), got {type(got).__name__}"
    assert got == pytest.approx(want, rel=1e-6, abs=1e-6), (
        f"expected the autocast loss {want:.6f}, got {got:.6f}; return the loss itself, not the scaled one")
    for (name, p), q in zip(model.named_parameters(), twin.parameters()):
        assert_tensor_close(p, q, atol=1e-6, rtol=1e-5, what=f"parameter {name} after amp_step",
                            hint="zero_grad, forward+loss under autocast, scaler.scale(loss).backward(), "
                                 "scaler.step(opt), scaler.update()")


def test_stale_gradients_are_cleared_first(ex, device):
    model = make_model(device, seed=6)
    twin = copy.deepcopy(model)
    for p in model.parameters():
        p.grad = torch.full_like(p, 100.0)  # left over from an earlier step
    x, y = make_batch(6)
    reference_step(twin, torch.optim.SGD(twin.parameters(), lr=0.1), default_scaler(device), x, y, device)
    ex.amp_step(model, torch.optim.SGD(model.parameters(), lr=0.1), default_scaler(device), x, y, device)
    for (name, p), q in zip(model.named_parameters(), twin.parameters()):
        assert_tensor_close(p, q, atol=1e-6, rtol=1e-5, what=f"parameter {name} after a step that began with stale "
                            "gradients", hint="call opt.zero_grad() before the backward, or the old gradients "
                                              "are added to the new ones")


def test_uses_torch_amp_not_the_deprecated_device_modules(ex, device):
    model = make_model(device)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = ex.amp_step(model, torch.optim.SGD(model.parameters(), lr=0.1), default_scaler(device), *make_batch(),
                          device)
    assert type(got) is float, f"expected the loss as a Python float, got {type(got).__name__}"
    deprecated = [str(w.message).splitlines()[0] for w in caught
                  if issubclass(w.category, (FutureWarning, DeprecationWarning)) and "amp" in str(w.message)]
    assert not deprecated, (
        f"expected no deprecation warning from the AMP APIs, got: {deprecated}; use torch.autocast(device_type=...) "
        "(or torch.amp.autocast) instead of torch.cpu.amp.autocast / torch.cuda.amp.autocast")
