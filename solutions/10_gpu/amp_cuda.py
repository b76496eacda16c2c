"""Mixed precision on the GPU: float16 autocast, a GradScaler, clipping the true gradients, skipping bad steps.

Scenario (001 Q10, 003 Q98, 004; with 000 Q5's clipping). The seed's recipe ``scaler.scale(loss).backward();
scaler.step(optimizer); scaler.update()`` trains the language model well until gradient clipping is added and
the runs stall: ``clip_grad_norm_`` saw gradients still multiplied by the loss scale (65536 at the start), so it
shrank every update to almost nothing. Another run dies when a float16 overflow sends inf gradients into the
weights. This is the GPU side of 04_training/mixed_precision and 04_training/grad_clipping, together.

Task: ``amp_clipped_step(model, optimizer, scaler, loss_fn, inputs, targets, max_norm)`` does one training step
and returns ``StepResult(loss, grad_norm, skipped)``:
- clear the previous gradients;
- run the forward pass and ``loss_fn(outputs, targets)`` under ``torch.autocast`` for ``inputs.device.type``, in
  float16 on CUDA and bfloat16 on the CPU (the tests still hand the CPU an enabled ``torch.amp.GradScaler("cpu")``,
  so the whole sequence runs on any machine);
- backward through ``scaler.scale(loss)``, outside the autocast block;
- ``scaler.unscale_(optimizer)`` *before* ``torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)``, so the
  clip sees the true gradients;
- ``scaler.step(optimizer)`` (it skips the step when the gradients hold inf or NaN), then ``scaler.update()``
  (it lowers the scale after a skip);
- the parameters stay float32: autocast casts per operation, never call ``model.half()``.
``loss`` is the batch loss as a Python float (not multiplied by the scale), ``grad_norm`` the total gradient norm
before clipping as a Python float (inf or NaN when the step was skipped), ``skipped`` True exactly when the
scaler skipped ``optimizer.step()`` because of inf/NaN gradients (which is when its ``update()`` lowers the scale; a
scale that grows after good steps is no skip). Clearing the gradients to None or to zeros are both fine.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import torch
from torch import nn


class StepResult(NamedTuple):
    loss: float  # the batch loss, not multiplied by the loss scale
    grad_norm: float  # total gradient norm before clipping; inf or NaN when the step was skipped
    skipped: bool  # True when scaler.step() skipped optimizer.step()


def _autocast_dtype(device_type: str) -> torch.dtype:
    """float16 where the GPU's tensor cores pay for it; bfloat16 (float32's range, no scaling needed) on the CPU."""
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
    """One mixed-precision step with gradient clipping; returns the loss, the pre-clip norm and whether it skipped."""
    device_type = inputs.device.type
    optimizer.zero_grad(set_to_none=True)
    with torch.autocast(device_type=device_type, dtype=_autocast_dtype(device_type)):
        loss = loss_fn(model(inputs), targets)
    scaler.scale(loss).backward()
    # the gradients are multiplied by the loss scale until unscale_: clip only after it
    scaler.unscale_(optimizer)
    grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    scale = scaler.get_scale()
    scaler.step(optimizer)
    scaler.update()
    # update() lowers the scale exactly when step() found inf/NaN gradients and skipped
    skipped = scaler.get_scale() < scale
    return StepResult(float(loss.item()), float(grad_norm.item()), bool(skipped))
