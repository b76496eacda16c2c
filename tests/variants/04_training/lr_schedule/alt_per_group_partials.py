"""Known-correct alternative: LambdaLR with one functools.partial of a module-level factor per group (picklable)."""

from __future__ import annotations

import functools
import math

import torch


def _factor(s: int, warmup: int, total: int, r: float) -> float:
    if s < warmup:
        return s / warmup
    t = min(s, total) - warmup
    return r + (1 - r) * (1 + math.cos(math.pi * t / (total - warmup))) / 2


def warmup_cosine(
    optimizer: torch.optim.Optimizer, warmup_steps: int, total_steps: int, min_lr: float
) -> torch.optim.lr_scheduler.LRScheduler:
    if not (0 <= warmup_steps and warmup_steps < total_steps):
        raise ValueError("warmup_steps must satisfy 0 <= warmup_steps < total_steps")
    fn = functools.partial(_factor, warmup=warmup_steps, total=total_steps, r=min_lr / optimizer.defaults["lr"])
    return torch.optim.lr_scheduler.LambdaLR(optimizer, [fn] * len(optimizer.param_groups))
