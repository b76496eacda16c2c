"""Known-correct alternative: norm from stacked per-tensor vector_norms; clipping by hand with torch._foreach_mul_ and a clamped coefficient."""

from __future__ import annotations

from typing import Iterable

import torch
from torch import nn


def global_grad_norm(params: Iterable[torch.Tensor]) -> torch.Tensor:
    grads = [p.grad.detach() for p in params if p.grad is not None]
    if len(grads) == 0:
        return torch.tensor(0.0)
    per_tensor = torch.stack([torch.linalg.vector_norm(g) for g in grads])
    return torch.linalg.vector_norm(per_tensor)


def _clip_(params, max_norm: float) -> torch.Tensor:
    grads = [p.grad for p in params if p.grad is not None]
    norm = global_grad_norm(params)
    if grads:
        coef = torch.clamp(max_norm / (norm + 1e-6), max=1.0)
        torch._foreach_mul_(grads, coef.to(grads[0].device))
    return norm


def clipped_step(
    model: nn.Module,
    opt: torch.optim.Optimizer,
    loss: torch.Tensor,
    max_norm: float,
    scaler: torch.amp.GradScaler | None = None,
) -> torch.Tensor:
    params = list(model.parameters())
    if scaler is None:
        loss.backward()
        norm = _clip_(params, max_norm)
        opt.step()
    else:
        scaler.scale(loss).backward()
        scaler.unscale_(opt)
        norm = _clip_(params, max_norm)
        scaler.step(opt)
        scaler.update()
    return norm
