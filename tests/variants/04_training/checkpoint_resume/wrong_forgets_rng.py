"""Known-wrong: saves model, optimizer and scheduler but no RNG state: different dropout masks and shuffles."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import torch
from torch import nn


def save_checkpoint(path, model: nn.Module, opt, scheduler, epoch: int) -> None:
    checkpoint = {"epoch": epoch, "model": model.state_dict(), "optimizer": opt.state_dict(),
                  "scheduler": scheduler.state_dict()}

    fd, tmp_name = tempfile.mkstemp(dir=Path(path).parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            torch.save(checkpoint, file)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def load_checkpoint(path, model: nn.Module, opt, scheduler) -> int:
    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    model.load_state_dict(checkpoint["model"])
    opt.load_state_dict(checkpoint["optimizer"])
    scheduler.load_state_dict(checkpoint["scheduler"])
    return checkpoint["epoch"]
