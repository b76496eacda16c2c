"""Known-wrong: forgets scaler.update(): the scale is never lowered after a skip, the next call's unscale_ raises; skipped read from the norm."""

from __future__ import annotations

from typing import Callable, NamedTuple

import torch
from torch import nn


class StepResult(NamedTuple):
    loss: float  # the batch loss, not multiplied by the loss scale
    grad_norm: float  # total gradient norm before clipping; inf or NaN when the step was skipped
    skipped: bool  # True when scaler.step() skipped optimizer.step()


def amp_clipped_step(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    scaler: torch.amp.GradScaler,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    inputs: torch.Tensor,
    targets: torch.Tensor,
    max_norm: float,
) -> StepResult:
    optimizer.zero_grad(set_to_none=True)
    dev = inputs.device.type
    amp_dtype = torch.float16 if dev == "cuda" else torch.bfloat16
    with torch.autocast(device_type=dev, dtype=amp_dtype):
        outputs = model(inputs)
        loss = loss_fn(outputs, targets)
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    scaler.step(optimizer)
    skipped = not torch.isfinite(norm).item()
    return StepResult(loss.item(), norm.item(), skipped)
