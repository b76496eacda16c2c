"""Known-wrong: moves only the tensors at the top level of the batch, not the nested ones."""

from __future__ import annotations

from typing import Any

import torch


def pick_device(prefer: str | None = None) -> torch.device:
    try:
        device = torch.device("cuda" if prefer is None else prefer)
    except RuntimeError:
        raise ValueError(f"unknown device {prefer!r}") from None
    if device.type not in ("cpu", "cuda"):
        raise ValueError(f"unknown device {prefer!r}")
    if device.type == "cuda" and not (torch.cuda.is_available()
                                      and (device.index is None or device.index < torch.cuda.device_count())):
        return torch.device("cpu")
    return device


def move_to(obj: Any, device: torch.device | str, non_blocking: bool = False) -> Any:
    device = torch.device(device)
    blocking = non_blocking and device.type != "cpu"
    if isinstance(obj, torch.Tensor):
        return obj.to(device, non_blocking=blocking)
    if isinstance(obj, dict):
        return type(obj)((k, v.to(device, non_blocking=blocking) if isinstance(v, torch.Tensor) else v)
                         for k, v in obj.items())
    return obj
