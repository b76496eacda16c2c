"""Known-correct alternative: parses prefer with a regex (no torch.device until validated) and rebuilds containers via copy.copy + item assignment / _make."""

from __future__ import annotations

import copy
import re
from typing import Any

import torch

_DEVICE_RE = re.compile(r"(cpu|cuda)(?::(\d+))?")


def pick_device(prefer: str | None = None) -> torch.device:
    m = _DEVICE_RE.fullmatch("cuda" if prefer is None else str(prefer))
    if m is None:
        raise ValueError(f"unsupported device {prefer!r}; expected 'cpu', 'cuda' or 'cuda:<i>'")
    kind, index = m.group(1), m.group(2)
    if kind == "cpu":
        return torch.device("cpu")
    wanted = 0 if index is None else int(index)
    if not torch.cuda.is_available() or wanted >= torch.cuda.device_count():
        return torch.device("cpu")
    return torch.device("cuda") if index is None else torch.device("cuda", wanted)


def _move_leaf(t: torch.Tensor, device: torch.device, non_blocking: bool) -> torch.Tensor:
    # a copy to the CPU always blocks: the host could read it before the data landed
    return t.to(device=device, non_blocking=non_blocking if device.type != "cpu" else False)


def move_to(obj: Any, device: torch.device | str, non_blocking: bool = False) -> Any:
    device = torch.device(device)
    if isinstance(obj, torch.Tensor):
        return _move_leaf(obj, device, non_blocking)
    if isinstance(obj, dict):
        out = copy.copy(obj)  # same dict type (OrderedDict, ...), same key order, a new object
        for key, value in obj.items():
            out[key] = move_to(value, device, non_blocking)
        return out
    if isinstance(obj, list):
        out = copy.copy(obj)
        out[:] = [move_to(v, device, non_blocking) for v in obj]
        return out
    if isinstance(obj, tuple):
        items = [move_to(v, device, non_blocking) for v in obj]
        return obj._make(items) if hasattr(obj, "_make") else type(obj)(items)
    return obj
