"""Known-wrong: load_state_dict(strict=False) silently skips keys that do not match instead of raising."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn


class StateDictMismatchError(RuntimeError):
    def __init__(self, missing: list[str], unexpected: list[str]) -> None:
        self.missing, self.unexpected = sorted(missing), sorted(unexpected)
        super().__init__(f"missing keys {self.missing}, unexpected keys {self.unexpected}")


def save_weights(model: nn.Module, path: str | Path) -> None:
    torch.save(getattr(model, "module", model).state_dict(), path)


def load_weights(model: nn.Module, path: str | Path, device: str | torch.device = "cpu") -> nn.Module:
    state = torch.load(path, map_location=device, weights_only=True)
    state = {k.removeprefix("module."): v for k, v in state.items()}
    model.to(device)
    model.load_state_dict(state, strict=False)
    return model
