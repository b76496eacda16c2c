"""Known-correct alternative: NamedTemporaryFile(dir=..., delete=False) written through the file object, flushed and fsynced; nested rng dict."""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

import torch
from torch import nn


def _rng_states() -> dict:
    rng = {"cpu": torch.get_rng_state(), "python": random.getstate()}
    if torch.cuda.is_available():
        rng["cuda"] = torch.cuda.get_rng_state_all()
    return rng


def save_checkpoint(
    path: str | os.PathLike,
    model: nn.Module,
    opt: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    epoch: int,
) -> None:
    target = Path(path)
    payload = {
        "epoch": int(epoch),
        "state": {"model": model.state_dict(), "opt": opt.state_dict(), "sched": scheduler.state_dict()},
        "rng": _rng_states(),
    }
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", delete=False) as fh:
        tmp_name = fh.name
    try:
        with open(tmp_name, "wb") as fh:
            torch.save(payload, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, target)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


def load_checkpoint(
    path: str | os.PathLike,
    model: nn.Module,
    opt: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
) -> int:
    with open(path, "rb") as fh:
        payload = torch.load(fh, weights_only=True)
    state, rng = payload["state"], payload["rng"]
    model.load_state_dict(state["model"])
    opt.load_state_dict(state["opt"])
    scheduler.load_state_dict(state["sched"])
    torch.set_rng_state(rng["cpu"])
    random.setstate(rng["python"])
    if torch.cuda.is_available() and "cuda" in rng:
        torch.cuda.set_rng_state_all(rng["cuda"])
    return payload["epoch"]
