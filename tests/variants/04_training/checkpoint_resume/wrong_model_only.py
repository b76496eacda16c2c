"""Known-wrong: the checkpoint holds only the model, so momentum, schedule and RNG restart on resume."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import torch
from torch import nn


def save_checkpoint(path, model: nn.Module, opt, scheduler, epoch: int) -> None:
    checkpoint = {"epoch": epoch, "model": model.state_dict()}

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
    return checkpoint["epoch"]
