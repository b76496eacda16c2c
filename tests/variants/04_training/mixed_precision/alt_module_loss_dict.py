"""Known-correct alternative: dtype from a lookup, nn.CrossEntropyLoss module, torch.amp.autocast alias, detached float loss."""

from __future__ import annotations

import torch
from torch import nn

_AMP_DTYPE = {"cpu": torch.bfloat16, "cuda": torch.float16}


def amp_step(
    model: nn.Module,
    opt: torch.optim.Optimizer,
    scaler: torch.amp.GradScaler,
    x: torch.Tensor,
    y: torch.Tensor,
    device: torch.device,
) -> float:
    device = torch.device(device)
    opt.zero_grad(set_to_none=True)
    inputs = x.to(device, non_blocking=True)
    targets = y.to(device, non_blocking=True)
    with torch.amp.autocast(device.type, dtype=_AMP_DTYPE.get(device.type, torch.float16)):
        logits = model(inputs)
        loss = nn.CrossEntropyLoss()(logits, targets)
    scaled = scaler.scale(loss)
    scaled.backward()
    scaler.step(opt)
    scaler.update()
    return float(loss.detach().float())
