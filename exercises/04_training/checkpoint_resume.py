"""Checkpoint and resume: a run interrupted after epoch 2 must end exactly where the uninterrupted run ends.

Scenario (000 Q1, 002 Q3, 003 Q93). The smart-home team trains on preemptible machines. Their checkpoints hold
only the weights, so every resumed run restarts the optimizer's momentum and the learning-rate schedule, and
draws different dropout masks and shuffles: results cannot be reproduced. Worse, a job killed while writing left
a truncated file and took the only checkpoint with it. And since checkpoints are shared between teams, loading
one must never run code hidden in it (a pickle can).

Task:
- ``save_checkpoint(path, model, opt, scheduler, epoch)``: save ONE dict with ``torch.save`` holding everything a
  resumed run needs: the model's, the optimizer's and the scheduler's ``state_dict()``, ``epoch`` (the number of
  epochs completed) and the random number generator states the training uses: torch's (CPU, and every CUDA
  device when CUDA is available) and Python's ``random``. Write it atomically: to a temporary file in the same
  directory, then ``os.replace`` it onto ``path``, so a crash mid-write leaves the previous checkpoint intact
  (the failed write's error propagates; remove the temporary file on the way out).
- ``load_checkpoint(path, model, opt, scheduler) -> int``: read the file with ``torch.load(...,
  weights_only=True)`` (a checkpoint holding anything but tensors and plain containers is refused: let that
  error propagate), restore the three state dicts into the given (freshly built) objects and the RNG states it
  holds (a checkpoint written without CUDA has no CUDA states: loading it where CUDA is available leaves the
  CUDA generators alone; CUDA states loaded where CUDA is not available are ignored), and return the saved
  epoch, from which the training loop continues.
"""

from __future__ import annotations

import os

import torch
from torch import nn


def save_checkpoint(
    path: str | os.PathLike,
    model: nn.Module,
    opt: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    epoch: int,
) -> None:
    """Atomically write a full training checkpoint to ``path``."""
    raise NotImplementedError("04_training/checkpoint_resume: build the dict, write a temp file, os.replace it")


def load_checkpoint(
    path: str | os.PathLike,
    model: nn.Module,
    opt: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
) -> int:
    """Restore model, optimizer, scheduler and RNG states from ``path``; return the saved epoch."""
    raise NotImplementedError("04_training/checkpoint_resume: torch.load(weights_only=True), then restore everything")
