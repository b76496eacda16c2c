"""Known-wrong: torch.autocast('cuda', ...) regardless of device, so on the CPU nothing is autocast (float32 matmuls)."""

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
    dtype = torch.bfloat16 if device.type == "cpu" else torch.float16
    with torch.autocast(device_type="cuda", dtype=torch.float16, enabled=torch.cuda.is_available()):
        loss = F.cross_entropy(model(x), y)
    scaler.scale(loss).backward()
    scaler.step(opt)
    scaler.update()
    return loss.item()
