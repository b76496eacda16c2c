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
import random
import tempfile
from pathlib import Path
from typing import Any

import torch
from torch import nn


def rng_states() -> dict[str, Any]:
    # dropout masks and shuffles come from these generators; without them a resumed run draws different ones
    states = {"torch": torch.get_rng_state(), "python": random.getstate()}
    if torch.cuda.is_available():
        states["cuda"] = torch.cuda.get_rng_state_all()
    return states


def restore_rng_states(states: dict[str, Any]) -> None:
    torch.set_rng_state(states["torch"])
    random.setstate(states["python"])
    if "cuda" in states and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(states["cuda"])


def save_checkpoint(
    path: str | os.PathLike,
    model: nn.Module,
    opt: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    epoch: int,
) -> None:
    """Atomically write a full training checkpoint to ``path``."""
    path = Path(path)
    checkpoint = {
        "epoch": epoch,
        "model": model.state_dict(),
        "optimizer": opt.state_dict(),
        "scheduler": scheduler.state_dict(),
        "rng": rng_states(),
    }
    # same directory as the target: os.replace is only atomic within one file system
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            torch.save(checkpoint, file)
            file.flush()
            os.fsync(file.fileno())  # the bytes are on disk before the rename makes them the checkpoint
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def load_checkpoint(
    path: str | os.PathLike,
    model: nn.Module,
    opt: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
) -> int:
    """Restore model, optimizer, scheduler and RNG states from ``path``; return the saved epoch."""
    # weights_only refuses arbitrary pickled objects, so a shared checkpoint cannot run code on load;
    # the CPU map keeps RNG states on the CPU, and load_state_dict copies each tensor to its owner's device
    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    model.load_state_dict(checkpoint["model"])
    opt.load_state_dict(checkpoint["optimizer"])
    scheduler.load_state_dict(checkpoint["scheduler"])
    restore_rng_states(checkpoint["rng"])
    return checkpoint["epoch"]
