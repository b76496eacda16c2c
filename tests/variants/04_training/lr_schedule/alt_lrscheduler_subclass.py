"""Known-correct alternative: a small LRScheduler subclass whose get_lr uses last_epoch and base_lrs directly."""

from __future__ import annotations

import math

import torch


class _WarmupCosine(torch.optim.lr_scheduler.LRScheduler):
    def __init__(self, optimizer, warmup_steps: int, total_steps: int, floor: float) -> None:
        self.warmup_steps = warmup_steps
        self.total_steps = total_steps
        self.floor = floor
        super().__init__(optimizer)

    def _factor(self, s: int) -> float:
        if s < self.warmup_steps:
            return s / self.warmup_steps
        if s > self.total_steps:
            return self.floor
        progress = (s - self.warmup_steps) / (self.total_steps - self.warmup_steps)
        return self.floor + (1 - self.floor) * 0.5 * (1 + math.cos(math.pi * progress))

    def get_lr(self):
        f = self._factor(self.last_epoch)
        return [base * f for base in self.base_lrs]


def warmup_cosine(
    optimizer: torch.optim.Optimizer, warmup_steps: int, total_steps: int, min_lr: float
) -> torch.optim.lr_scheduler.LRScheduler:
    if warmup_steps < 0 or warmup_steps >= total_steps:
        raise ValueError(f"need 0 <= warmup_steps < total_steps, got {warmup_steps}, {total_steps}")
    return _WarmupCosine(optimizer, warmup_steps, total_steps, min_lr / optimizer.defaults["lr"])
