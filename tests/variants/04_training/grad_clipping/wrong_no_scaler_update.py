"""Known-wrong: with a scaler, never calls scaler.update(), so the scale never backs off after an overflow (nor grows)."""

from __future__ import annotations

from typing import Iterable

import torch
from torch import nn


def global_grad_norm(params: Iterable[torch.Tensor]) -> torch.Tensor:
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return torch.tensor(0.0)
    return torch.sqrt(sum(g.detach().pow(2).sum() for g in grads))


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
    return norm
