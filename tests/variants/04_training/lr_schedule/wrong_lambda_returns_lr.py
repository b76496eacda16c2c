"""Known-wrong: the LambdaLR lambda returns a learning rate, but LambdaLR multiplies base_lr by it."""

from __future__ import annotations

import math

import torch
from torch.optim.lr_scheduler import LambdaLR


def warmup_cosine(optimizer: torch.optim.Optimizer, warmup_steps: int, total_steps: int, min_lr: float):
    if not 0 <= warmup_steps < total_steps:
        raise ValueError("need 0 <= warmup_steps < total_steps")
    base = optimizer.defaults["lr"]

    def lr_at(step: int) -> float:
        if step < warmup_steps:
            return base * step / warmup_steps
        progress = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
        return min_lr + (base - min_lr) * 0.5 * (1.0 + math.cos(math.pi * progress))

    return LambdaLR(optimizer, lr_at)
