"""Known-wrong: torch.load(..., weights_only=False) unpickles arbitrary objects (runs a malicious file's code)."""
from __future__ import annotations

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


def save_weights(model: nn.Module, path: str | Path) -> None:
    if isinstance(model, (nn.DataParallel, nn.parallel.DistributedDataParallel)):
        model = model.module
    torch.save(model.state_dict(), path)


def load_weights(model: nn.Module, path: str | Path, device: str | torch.device = "cpu") -> nn.Module:
    state = torch.load(path, map_location=device, weights_only=False)
    state = {k.removeprefix(WRAPPER_PREFIX): v for k, v in state.items()}
    expected = set(model.state_dict())
    missing, unexpected = expected - set(state), set(state) - expected
    if missing or unexpected:
        raise StateDictMismatchError(list(missing), list(unexpected))
    model.to(device)
    model.load_state_dict(state)
    return model
