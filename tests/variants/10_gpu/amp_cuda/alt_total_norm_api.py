"""Known-correct alternative: get_total_norm + clip_grads_with_norm_ instead of clip_grad_norm_, a helper for the autocast context, skip read from the scale dropping."""

from __future__ import annotations

from typing import Callable, NamedTuple

import torch
from torch import nn


class StepResult(NamedTuple):
    loss: float  # the batch loss, not multiplied by the loss scale
    grad_norm: float  # total gradient norm before clipping; inf or NaN when the step was skipped
    skipped: bool  # True when scaler.step() skipped optimizer.step()


def _autocast_for(device: torch.device):
    return torch.amp.autocast(device_type=device.type, dtype=torch.float16 if device.type == "cuda" else torch.bfloat16)


def amp_clipped_step(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    scaler: torch.amp.GradScaler,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    inputs: torch.Tensor,
    targets: torch.Tensor,
    max_norm: float,
) -> StepResult:
    optimizer.zero_grad()
    with _autocast_for(inputs.device):
        outputs = model(inputs)
        loss = loss_fn(outputs, targets)
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)
    params = [p for p in model.parameters() if p.grad is not None]
    total = torch.nn.utils.get_total_norm([p.grad for p in params])
    torch.nn.utils.clip_grads_with_norm_(params, max_norm, total)
    old_scale = scaler.get_scale()
    scaler.step(optimizer)
    scaler.update()
    return StepResult(float(loss.item()), float(total.item()), bool(scaler.get_scale() < old_scale))
