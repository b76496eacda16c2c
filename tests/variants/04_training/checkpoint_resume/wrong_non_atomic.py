"""Known-wrong: torch.save straight onto the path, so a crash mid-write destroys the previous checkpoint."""

from __future__ import annotations

import random

import torch
from torch import nn


def save_checkpoint(path, model: nn.Module, opt, scheduler, epoch: int) -> None:
    rng = {"torch": torch.get_rng_state(), "python": random.getstate()}
    checkpoint = {"epoch": epoch, "model": model.state_dict(), "optimizer": opt.state_dict(),
                  "scheduler": scheduler.state_dict(), "rng": rng}
    torch.save(checkpoint, path)


def load_checkpoint(path, model: nn.Module, opt, scheduler) -> int:
    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    model.load_state_dict(checkpoint["model"])
    opt.load_state_dict(checkpoint["optimizer"])
    scheduler.load_state_dict(checkpoint["scheduler"])
    torch.set_rng_state(checkpoint["rng"]["torch"])
    random.setstate(checkpoint["rng"]["python"])
    return checkpoint["epoch"]

