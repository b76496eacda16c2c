"""Known-wrong: hands out the requested GPU without asking whether the machine has it."""

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
    return device


def move_to(obj: Any, device: torch.device | str, non_blocking: bool = False) -> Any:
    device = torch.device(device)
    if isinstance(obj, torch.Tensor):
        return obj.to(device, non_blocking=non_blocking and device.type != "cpu")
    if isinstance(obj, dict):
        return type(obj)((key, move_to(value, device, non_blocking)) for key, value in obj.items())
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(move_to(value, device, non_blocking) for value in obj))
    if isinstance(obj, (list, tuple)):
        return type(obj)(move_to(value, device, non_blocking) for value in obj)
    return obj
