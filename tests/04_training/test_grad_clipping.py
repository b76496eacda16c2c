"""04_training/grad_clipping: the hand norm, a clip between backward and step, and unscaled gradients under AMP."""

import copy

import torch
from torch import nn

from helpers import assert_is_tensor, assert_shape, assert_tensor_close, randn

LR = 0.1


def make_model(seed: int = 0, device: str | torch.device = "cpu") -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3)).to(device)


def make_batch(seed: int = 0, device: str | torch.device = "cpu", scale: float = 3.0):
    inputs = scale * randn(6, 4, seed=seed, device=device)
    return inputs, (torch.arange(6) % 3).to(device)


def loss_of(model: nn.Module, inputs: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return nn.functional.cross_entropy(model(inputs), labels)


def raw_grads(model: nn.Module, inputs: torch.Tensor, labels: torch.Tensor) -> list[torch.Tensor]:
    """The unclipped gradients of this batch, from a copy of the model."""
    twin = copy.deepcopy(model)
    loss_of(twin, inputs, labels).backward()
    return [p.grad for p in twin.parameters()]


def hand_norm(grads: list[torch.Tensor]) -> torch.Tensor:
    return torch.cat([g.flatten() for g in grads]).norm()


class SpySGD(torch.optim.SGD):
    """SGD that records every parameter's gradient (flattened into one vector) at the moment step() runs."""

    def __init__(self, params, lr: float = LR) -> None:
        super().__init__(params, lr=lr)
        self.seen: list[torch.Tensor] = []

    def step(self, closure=None):
        grads = [p.grad for group in self.param_groups for p in group["params"]]
        assert all(g is not None for g in grads), "a parameter had no gradient when step() ran: backward() first"
        self.seen.append(torch.cat([g.detach().flatten() for g in grads]).clone())
        return super().step(closure)


def run_step(ex, device, max_norm: float, seed: int = 0, scaler=None):
    """One clipped_step on a fresh model; returns (returned norm, raw gradient vector, spy, model, raw grads)."""
    model = make_model(seed, device)
    inputs, labels = make_batch(seed, device)
    raw = raw_grads(model, inputs, labels)
    opt = SpySGD(model.parameters())
    returned = ex.clipped_step(model, opt, loss_of(model, inputs, labels), max_norm, scaler=scaler)
    return returned, torch.cat([g.flatten() for g in raw]), opt, model, raw


def check_clipped(opt: SpySGD, raw_vector: torch.Tensor, max_norm: float, hint: str) -> None:
    assert len(opt.seen) == 1, f"expected exactly one optimizer step, got {len(opt.seen)}\n  likely cause: {hint}"
    at_step = opt.seen[0]
    norm = float(at_step.norm())
    assert norm <= max_norm * (1 + 1e-4), (
        f"expected the gradient norm at step time <= max_norm={max_norm}, got {norm:.6g}" + f"\n  likely cause: {hint}")
    expected = raw_vector * (max_norm / raw_vector.norm())
    assert_tensor_close(at_step, expected, atol=1e-6, rtol=1e-4, what="gradients when step() ran",
                        hint=hint + "; clipping by norm rescales all gradients by one factor, to length max_norm")


def test_global_grad_norm_matches_the_hand_norm_and_skips_none(ex):
    a = torch.zeros(3, 4, requires_grad=True)
    b = torch.zeros(5, requires_grad=True)
    unused = torch.zeros(7, requires_grad=True)  # never received a gradient: .grad is None
    a.grad, b.grad = randn(3, 4, seed=1), randn(5, seed=2)
    norm = ex.global_grad_norm(p for p in (a, unused, b))
    assert_shape(norm, (), what="global_grad_norm(...)", hint="return one 0-dim tensor for all parameters together")
    assert norm.dtype == torch.float32, f"expected a float32 norm, got {norm.dtype}"
    assert_tensor_close(norm, hand_norm([a.grad, b.grad]), atol=1e-6, rtol=1e-5, what="global_grad_norm(...)",
                        hint="the global norm is sqrt(sum of squares over every gradient entry), not the sum or "
                             "mean of per-parameter norms")


def test_returned_norm_is_the_norm_before_clipping(ex, device):
    returned, raw_vector, _, _, _ = run_step(ex, device, max_norm=0.05)
    assert_is_tensor(returned, what="clipped_step(...) return value")
    assert_tensor_close(returned.reshape(()), raw_vector.norm(), atol=1e-6, rtol=1e-4,
                        what="norm returned by clipped_step", check_device=False,
                        hint="return the total norm measured after backward() and before clipping "
                             "(not after, and not before backward)")


def test_gradients_are_clipped_after_backward_and_before_step(ex, device):
    max_norm = 0.05
    _, raw_vector, opt, _, _ = run_step(ex, device, max_norm=max_norm)
    assert raw_vector.norm() > 10 * max_norm, "test setup: the raw gradient should be far above max_norm"
    check_clipped(opt, raw_vector, max_norm,
                  hint="clip between loss.backward() and opt.step(), by total norm (clip_grad_value_ changes the "
                       "direction and does not bound the total norm)")


def test_small_gradients_are_untouched(ex, device):
    returned, raw_vector, opt, model, raw = run_step(ex, device, max_norm=1e3)
    assert_tensor_close(opt.seen[0], raw_vector, atol=1e-7, rtol=1e-6, what="gradients at step time (norm < max_norm)",
                        hint="gradients whose total norm is already below max_norm must not be rescaled")
    fresh = make_model(0, device)
    for (name, p), p0, g in zip(model.named_parameters(), fresh.parameters(), raw):
        assert_tensor_close(p, p0 - LR * g, atol=1e-6, rtol=1e-5, what=f"parameter {name} after the step",
                            hint="expected one plain SGD step with the unclipped gradient")


def test_scaled_gradients_are_unscaled_before_clipping(ex, device):
    max_norm = 0.05
    scaler = torch.amp.GradScaler(device.type, init_scale=2.0 ** 16)
    returned, raw_vector, opt, model, _ = run_step(ex, device, max_norm=max_norm, scaler=scaler)
    assert_is_tensor(returned, what="clipped_step(..., scaler=scaler) return value")
    assert_tensor_close(returned.reshape(()), raw_vector.norm(), atol=1e-5, rtol=1e-4,
                        what="norm returned with a GradScaler (init_scale 2**16)", check_device=False,
                        hint="the gradients still carry the loss scale: call scaler.unscale_(opt) before measuring "
                             "and clipping")
    check_clipped(opt, raw_vector, max_norm,
                  hint="with a GradScaler: scaler.scale(loss).backward(), scaler.unscale_(opt), clip, "
                       "scaler.step(opt), scaler.update(); clipping the scaled gradients shrinks the step by the scale")
