"""Known-wrong: returns the norm after clipping, so the log never shows the spikes clipping tamed."""

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
    if scaler is None:
        loss.backward()
    else:
        scaler.scale(loss).backward()
        scaler.unscale_(opt)
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    clipped_norm = global_grad_norm(model.parameters())
    if scaler is None:
        opt.step()
    else:
        scaler.step(opt)
        scaler.update()
    return clipped_norm
