"""Known-wrong: clips before loss.backward(), so the fresh gradients reach step() unclipped."""

from __future__ import annotations

from typing import Iterable

import torch
from torch import nn


def global_grad_norm(params: Iterable[torch.Tensor]) -> torch.Tensor:
    grads = [p.grad.detach() for p in params if p.grad is not None]
    if not grads:
        return torch.tensor(0.0)
    return torch.stack([g.pow(2).sum() for g in grads]).sum().sqrt()


def clipped_step(model: nn.Module, opt: torch.optim.Optimizer, loss: torch.Tensor, max_norm: float,
                 scaler: torch.amp.GradScaler | None = None) -> torch.Tensor:
    total_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    if scaler is None:
        loss.backward()
        opt.step()
    else:
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
    return total_norm
