"""Known-wrong: moves tensors by assigning into the caller's dicts and lists, so obj itself is modified."""

from __future__ import annotations

from typing import Any

import torch


def pick_device(prefer: str | None = None) -> torch.device:
    if prefer is None:
        prefer = "cuda"
    if prefer not in ("cpu", "cuda") and not prefer.startswith(("cpu:", "cuda:")):
        raise ValueError(f"unsupported device {prefer!r}")
    dev = torch.device(prefer)
    if dev.type == "cpu":
        return torch.device("cpu")
    index = 0 if dev.index is None else dev.index
    if torch.cuda.is_available() and index < torch.cuda.device_count():
        return dev
    return torch.device("cpu")


def move_to(obj: Any, device: torch.device | str, non_blocking: bool = False) -> Any:
    device = torch.device(device)
    nb = non_blocking and device.type != "cpu"
    if isinstance(obj, torch.Tensor):
        return obj.to(device, non_blocking=nb)
    if isinstance(obj, dict):
        for k in obj:
            obj[k] = move_to(obj[k], device, non_blocking)
        return obj
    if isinstance(obj, list):
        for i, v in enumerate(obj):
            obj[i] = move_to(v, device, non_blocking)
        return obj
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(move_to(v, device, non_blocking) for v in obj))
    if isinstance(obj, tuple):
        return tuple(move_to(v, device, non_blocking) for v in obj)
    return obj
