"""Known-wrong: never calls scaler.update(), so the scale never backs off and the next step() raises."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

LOW_PRECISION = {"cpu": torch.bfloat16, "cuda": torch.float16}


def amp_step(model: nn.Module, opt: torch.optim.Optimizer, scaler: torch.amp.GradScaler, x: torch.Tensor,
             y: torch.Tensor, device: torch.device) -> float:
    x, y = x.to(device), y.to(device)
    opt.zero_grad()
    with torch.autocast(device_type=device.type, dtype=LOW_PRECISION[device.type]):
        loss = F.cross_entropy(model(x), y)
    scaler.scale(loss).backward()
    scaler.step(opt)
    return loss.item()
