"""Known-wrong: saves a DataParallel-wrapped model as is, so the file carries the "module." prefix."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn


class StateDictMismatchError(RuntimeError):
    def __init__(self, missing: list[str], unexpected: list[str]) -> None:
        self.missing, self.unexpected = sorted(missing), sorted(unexpected)
        super().__init__(f"missing keys {self.missing}, unexpected keys {self.unexpected}")


def save_weights(model: nn.Module, path: str | Path) -> None:
    torch.save(model.state_dict(), path)


def load_weights(model: nn.Module, path: str | Path, device: str | torch.device = "cpu") -> nn.Module:
    state = torch.load(path, map_location=device, weights_only=True)
    state = {k.removeprefix("module."): v for k, v in state.items()}
    expected = set(model.state_dict())
    missing, unexpected = expected - set(state), set(state) - expected
    if missing or unexpected:
        raise StateDictMismatchError(list(missing), list(unexpected))
    model.to(device)
    model.load_state_dict(state)
    return model
