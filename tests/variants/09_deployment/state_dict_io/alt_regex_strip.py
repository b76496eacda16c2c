"""Known-correct alternative: regex anchored strip, strict load caught via its result, device move first."""
from __future__ import annotations

import re
from pathlib import Path

import torch
from torch import nn

WRAPPER_PREFIX = "module."


class StateDictMismatchError(RuntimeError):
    """The file's keys do not match the model's: names both lists, sorted. (Given: use it as it is.)"""

    def __init__(self, missing: list[str], unexpected: list[str]) -> None:
        self.missing = sorted(missing)
        self.unexpected = sorted(unexpected)
        super().__init__(f"the weights file does not fit the model: missing keys {self.missing}, "
                         f"unexpected keys {self.unexpected}")


_PREFIX_RE = re.compile("^" + re.escape(WRAPPER_PREFIX))


def save_weights(model: nn.Module, path: str | Path) -> None:
    inner = model
    if isinstance(model, nn.DataParallel) or isinstance(model, nn.parallel.DistributedDataParallel):
        inner = model.module
    torch.save(inner.state_dict(), str(path))


def load_weights(model: nn.Module, path: str | Path, device: str | torch.device = "cpu") -> nn.Module:
    raw = torch.load(str(path), map_location=device, weights_only=True)
    if raw and all(_PREFIX_RE.match(k) for k in raw):
        raw = type(raw)((_PREFIX_RE.sub("", k, count=1), v) for k, v in raw.items())
    state = raw
    want = model.state_dict()
    if want.keys() != state.keys():
        raise StateDictMismatchError(sorted(want.keys() - state.keys()), sorted(state.keys() - want.keys()))
    model.to(device).load_state_dict(state)
    return model
