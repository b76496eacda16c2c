"""Known-wrong: autocasts to float16 on every device, bfloat16 never used (CPU runs fp16 autocast)."""

from __future__ import annotations

import torch
from torch import nn
import torch.nn.functional as F


def amp_step(
    model: nn.Module,
    opt: torch.optim.Optimizer,
    scaler: torch.amp.GradScaler,
    x: torch.Tensor,
    y: torch.Tensor,
    device: torch.device,
) -> float:
    x, y = x.to(device), y.to(device)
    opt.zero_grad()
    dtype = torch.float16
    with torch.autocast(device_type=device.type, dtype=dtype):
        loss = F.cross_entropy(model(x), y)
    scaler.scale(loss).backward()
    scaler.step(opt)
    scaler.update()
    return loss.item()
