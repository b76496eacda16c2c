"""Known-wrong: loads with weights_only=False, so a checkpoint can run arbitrary code."""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

import torch
from torch import nn


def save_checkpoint(path, model: nn.Module, opt, scheduler, epoch: int) -> None:
    rng = {"torch": torch.get_rng_state(), "python": random.getstate()}
    checkpoint = {"epoch": epoch, "model": model.state_dict(), "optimizer": opt.state_dict(),
                  "scheduler": scheduler.state_dict(), "rng": rng}

    fd, tmp_name = tempfile.mkstemp(dir=Path(path).parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            torch.save(checkpoint, file)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def load_checkpoint(path, model: nn.Module, opt, scheduler) -> int:
    checkpoint = torch.load(path, map_location="cpu", weights_only=False)
    model.load_state_dict(checkpoint["model"])
    opt.load_state_dict(checkpoint["optimizer"])
    scheduler.load_state_dict(checkpoint["scheduler"])
    torch.set_rng_state(checkpoint["rng"]["torch"])
    random.setstate(checkpoint["rng"]["python"])
    return checkpoint["epoch"]
