"""Known-correct alternative: torch's consume_prefix_in_state_dict_if_present on a file whose keys all carry the prefix, file handles, torch.nn.parallel types."""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn
from torch.nn.modules.utils import consume_prefix_in_state_dict_if_present
from torch.nn.parallel import DataParallel, DistributedDataParallel

WRAPPER_PREFIX = "module."


class StateDictMismatchError(RuntimeError):
    """The file's keys do not match the model's: names both lists, sorted. (Given: use it as it is.)"""

    def __init__(self, missing: list[str], unexpected: list[str]) -> None:
        self.missing = sorted(missing)
        self.unexpected = sorted(unexpected)
        super().__init__(f"the weights file does not fit the model: missing keys {self.missing}, "
                         f"unexpected keys {self.unexpected}")


def _unwrap(model: nn.Module) -> nn.Module:
    return model.module if isinstance(model, (DataParallel, DistributedDataParallel)) else model


def save_weights(model: nn.Module, path: str | Path) -> None:
    with open(path, "wb") as f:
        torch.save(_unwrap(model).state_dict(), f)


def load_weights(model: nn.Module, path: str | Path, device: str | torch.device = "cpu") -> nn.Module:
    device = torch.device(device)
    with open(path, "rb") as f:
        state = torch.load(f, map_location=device, weights_only=True)
    if state and all(key.startswith(WRAPPER_PREFIX) for key in state):  # a wrapper's file
        consume_prefix_in_state_dict_if_present(state, WRAPPER_PREFIX)
    own = model.state_dict().keys()
    missing = [k for k in own if k not in state]
    unexpected = [k for k in state if k not in own]
    if missing or unexpected:
        raise StateDictMismatchError(missing, unexpected)
    model.load_state_dict(state, strict=True)
    return model.to(device)
