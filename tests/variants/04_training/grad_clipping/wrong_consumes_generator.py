"""Known-wrong: checks for gradients with any() before summing, which exhausts a generator such as model.parameters()."""

from __future__ import annotations

from typing import Iterable

import torch
from torch import nn


def global_grad_norm(params: Iterable[torch.Tensor]) -> torch.Tensor:
    if not any(p.grad is not None for p in params):
        return torch.tensor(0.0)
    total = torch.tensor(0.0)
    for p in params:
        if p.grad is not None:
            total = total + p.grad.detach().pow(2).sum()
    return total.sqrt()


def clipped_step(
    model: nn.Module,
    opt: torch.optim.Optimizer,
    loss: torch.Tensor,
    max_norm: float,
    scaler: torch.amp.GradScaler | None = None,
) -> torch.Tensor:
    if scaler is None:
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        opt.step()
        return norm
    scaler.scale(loss).backward()
    scaler.unscale_(opt)
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    scaler.step(opt)
    scaler.update()
    return norm

