"""Known-wrong: warmup branch uses s <= warmup_steps: same values, but warmup_steps=0 divides by zero."""

from __future__ import annotations

import math

import torch


def warmup_cosine(
    optimizer: torch.optim.Optimizer, warmup_steps: int, total_steps: int, min_lr: float
) -> torch.optim.lr_scheduler.LRScheduler:
    if not 0 <= warmup_steps < total_steps:
        raise ValueError("need 0 <= warmup_steps < total_steps")
    r = min_lr / optimizer.defaults["lr"]

    def factor(s: int) -> float:
        if s <= warmup_steps:
            return s / warmup_steps
        progress = min(1.0, (s - warmup_steps) / (total_steps - warmup_steps))
        return r + (1 - r) * 0.5 * (1 + math.cos(math.pi * progress))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
