"""Known-wrong: passes non_blocking=True through even when the destination is the CPU."""

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
    if isinstance(obj, torch.Tensor):
        return obj.to(device, non_blocking=non_blocking)
    if isinstance(obj, dict):
        return type(obj)((k, move_to(v, device, non_blocking)) for k, v in obj.items())
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(move_to(v, device, non_blocking) for v in obj))
    if isinstance(obj, (list, tuple)):
        return type(obj)(move_to(v, device, non_blocking) for v in obj)
    return obj
