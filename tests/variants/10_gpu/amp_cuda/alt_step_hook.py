"""Known-correct alternative: detects the skip with a temporary optimizer step post-hook (removed in finally) and clears grads via model.zero_grad."""

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
    model.zero_grad(set_to_none=True)
    amp_dtype = {"cuda": torch.float16}.get(inputs.device.type, torch.bfloat16)
    with torch.autocast(inputs.device.type, dtype=amp_dtype):
        loss = loss_fn(model(inputs), targets)
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)  # grads now hold their true values
    pre_clip = float(torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm))
    stepped = []
    handle = optimizer.register_step_post_hook(lambda *_: stepped.append(True))
    try:
        scaler.step(optimizer)
    finally:
        handle.remove()
    scaler.update()
    return StepResult(loss=float(loss.detach()), grad_norm=pre_clip, skipped=not stepped)
