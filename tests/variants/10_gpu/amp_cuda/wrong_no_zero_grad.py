"""Known-wrong: never clears the previous step's gradients, so they accumulate."""

from __future__ import annotations

from typing import Callable, NamedTuple

import torch
from torch import nn


class StepResult(NamedTuple):
    loss: float
    grad_norm: float
    skipped: bool


def _autocast_dtype(device_type: str) -> torch.dtype:
    return torch.float16 if device_type == "cuda" else torch.bfloat16


def amp_clipped_step(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    scaler: torch.amp.GradScaler,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    inputs: torch.Tensor,
    targets: torch.Tensor,
    max_norm: float,
) -> StepResult:
    device_type = inputs.device.type
    with torch.autocast(device_type=device_type, dtype=_autocast_dtype(device_type)):
        loss = loss_fn(model(inputs), targets)
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)
    grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    scale = scaler.get_scale()
    scaler.step(optimizer)
    scaler.update()
    skipped = scaler.get_scale() < scale
    return StepResult(float(loss.item()), float(grad_norm.item()), bool(skipped))
