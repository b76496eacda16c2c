"""Known-wrong: lets torch.device raise RuntimeError for 'gpu'/'tpu' and falls back to the CPU for 'mps' instead of ValueError."""

from __future__ import annotations

from typing import Any

import torch

def pick_device(prefer: str | None = None) -> torch.device:
    dev = torch.device(prefer or "cuda")  # RuntimeError for 'gpu', 'tpu'
    if dev.type == "cuda":
        index = dev.index or 0
        if torch.cuda.is_available() and index < torch.cuda.device_count():
            return dev
    return torch.device("cpu")  # 'mps' silently becomes the CPU


def move_to(obj: Any, device: torch.device | str, non_blocking: bool = False) -> Any:
    device = torch.device(device)
    nb = non_blocking and device.type != "cpu"
    if isinstance(obj, torch.Tensor):
        return obj.to(device, non_blocking=nb)
    if isinstance(obj, dict):
        return type(obj)((k, move_to(v, device, non_blocking)) for k, v in obj.items())
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(move_to(v, device, non_blocking) for v in obj))
    if isinstance(obj, (list, tuple)):
        return type(obj)(move_to(v, device, non_blocking) for v in obj)
    return obj
