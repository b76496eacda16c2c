"""Mixed precision: matmuls in 16 bits, master weights in 32, and a loss scaler for float16.

Scenario (001 Q10, 003 Q98, 004). Training is too slow and too big for the GPU, so the team switches to
automatic mixed precision: ``torch.autocast`` runs matmuls and convolutions in a 16-bit type while the weights,
the optimizer state and the reductions stay in float32. With float16 small gradients underflow to zero, so a
``torch.amp.GradScaler`` multiplies the loss before backward, unscales before the step, and skips any step whose
gradients overflowed. bfloat16 has float32's range and needs no scaling. One attempt cast the whole model to
half precision instead, and the updates, too small for 16 bits, vanished.

Task: ``amp_step(model, opt, scaler, x, y, device)`` runs one training step of a classifier whose parameters
live on ``device`` (``x`` and ``y`` may arrive on the CPU: move them):
- start from clean gradients; run the forward pass and the cross-entropy loss under ``torch.autocast`` for
  ``device.type``, in bfloat16 on the CPU and float16 on CUDA,
- go through ``scaler`` for backward, step and update: it is always given, enabled for float16 and
  possibly disabled (a pass-through) for bfloat16; the code is the same either way,
- leave the model's parameters and gradients in float32,
- return the (unscaled) loss as a Python float.
Use the ``torch.amp`` / ``torch.autocast`` APIs (``torch.cuda.amp`` is deprecated).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

# CPUs compute fast in bfloat16; CUDA autocast's classic type is float16 (which is why it needs the scaler)
LOW_PRECISION = {"cpu": torch.bfloat16, "cuda": torch.float16}


def amp_step(
    model: nn.Module,
    opt: torch.optim.Optimizer,
    scaler: torch.amp.GradScaler,
    x: torch.Tensor,
    y: torch.Tensor,
    device: torch.device,
) -> float:
    """One mixed-precision training step; returns the loss."""
    device = torch.device(device)
    x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
    opt.zero_grad(set_to_none=True)

    # autocast picks the precision per op: matmuls in 16 bits, softmax/cross-entropy in float32
    with torch.autocast(device_type=device.type, dtype=LOW_PRECISION[device.type]):
        loss = F.cross_entropy(model(x), y)

    # backward outside autocast; the gradients land in float32 because the parameters are float32
    scaler.scale(loss).backward()
    scaler.step(opt)  # unscales first, and skips the step if any gradient is inf/NaN
    scaler.update()
    return loss.item()
