"""Learning-rate schedule: linear warmup, then a cosine decay to a floor.

Scenario (003 Q77, 004). Fine-tuning a transformer diverges in the first hundred steps at the learning rate it
needs later, and ends noisy if the rate stays high. The usual answer is a warmup followed by a cosine decay. The
model trains its backbone at a tenth of the head's rate through two parameter groups, and the schedule must keep
that 1:10 ratio all the way.

Task: ``warmup_cosine(optimizer, warmup_steps, total_steps, min_lr)`` returns a
``torch.optim.lr_scheduler.LRScheduler`` (so it checkpoints like any other) used in the standard loop
``optimizer.step(); scheduler.step()``. With ``s`` the number of ``scheduler.step()`` calls so far and
``base_lr`` each group's initial learning rate, every group runs at ``base_lr * factor(s)``:
- warmup, ``s < warmup_steps``: ``factor = s / warmup_steps`` (from 0 at the first optimizer step),
- cosine, ``warmup_steps <= s <= total_steps``: with ``progress = (s - warmup_steps) / (total_steps - warmup_steps)``,
  ``factor = r + (1 - r) * 0.5 * (1 + cos(pi * progress))``,
- after ``total_steps``: ``factor = r``.
``r = min_lr / optimizer.defaults["lr"]``: ``min_lr`` is the floor of a group running at the optimizer's default
lr (the ``lr=`` given to its constructor); every group gets the same factor, so groups keep their ratios.
Raise ``ValueError`` unless ``0 <= warmup_steps < total_steps``.
"""

from __future__ import annotations

import torch


def warmup_cosine(
    optimizer: torch.optim.Optimizer, warmup_steps: int, total_steps: int, min_lr: float
) -> torch.optim.lr_scheduler.LRScheduler:
    """Linear warmup from 0 to each group's lr, then cosine decay to ``min_lr`` (scaled per group)."""
    raise NotImplementedError("04_training/lr_schedule: build a LambdaLR whose lambda returns factor(s)")
