"""Known-wrong: builds the result with torch.tensor(list of norms): always float32 on the CPU, whatever the gradients' device/dtype."""

from __future__ import annotations

from typing import Iterable

import torch
from torch import nn


def global_grad_norm(params: Iterable[torch.Tensor]) -> torch.Tensor:
    norms = [p.grad.detach().norm().item() for p in params if p.grad is not None]
    if not norms:
        return torch.tensor(0.0)
    return torch.tensor(norms).norm()


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

