"""Known-correct alternative: norm of one torch.cat of flattened grads; scaler and plain paths share one body via contextual callables."""

from __future__ import annotations

from typing import Iterable

import torch
from torch import nn


def global_grad_norm(params: Iterable[torch.Tensor]) -> torch.Tensor:
    flat = [p.grad.detach().reshape(-1) for p in params if p.grad is not None]
    if not flat:
        return torch.tensor(0.0)
    return torch.cat(flat).norm(2)


def clipped_step(
    model: nn.Module,
    opt: torch.optim.Optimizer,
    loss: torch.Tensor,
    max_norm: float,
    scaler: torch.amp.GradScaler | None = None,
) -> torch.Tensor:
    use = scaler is not None
    (scaler.scale(loss) if use else loss).backward()
    if use:
        scaler.unscale_(opt)
    norm = global_grad_norm(model.parameters())
    if norm > max_norm:
        for p in model.parameters():
            if p.grad is not None:
                p.grad.mul_(max_norm / norm)
    if use:
        scaler.step(opt)
        scaler.update()
    else:
        opt.step()
    return norm
