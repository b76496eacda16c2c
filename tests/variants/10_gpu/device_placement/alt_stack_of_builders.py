"""Known-correct alternative: pick_device via torch.device + try/except, move_to via functools.singledispatch handlers."""

from __future__ import annotations

import functools
from typing import Any

import torch


def pick_device(prefer: str | None = None) -> torch.device:
    try:
        dev = torch.device("cuda" if prefer is None else prefer)
    except RuntimeError as exc:  # 'gpu', 'tpu', 'CUDA', ...
        raise ValueError(f"unknown device {prefer!r}") from exc
    if dev.type not in ("cpu", "cuda"):  # 'mps', 'xpu', 'meta', ...
        raise ValueError(f"unsupported device type {dev.type!r}")
    if dev.type == "cuda":
        have = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if (dev.index or 0) < have:
            return dev
    return torch.device("cpu")


@functools.singledispatch
def _move(obj: Any, device: torch.device, nb: bool) -> Any:
    return obj


@_move.register
def _(obj: torch.Tensor, device: torch.device, nb: bool) -> Any:
    return obj.to(device, non_blocking=nb)


@_move.register
def _(obj: dict, device: torch.device, nb: bool) -> Any:
    return type(obj)([(k, _move(v, device, nb)) for k, v in obj.items()])


@_move.register
def _(obj: list, device: torch.device, nb: bool) -> Any:
    return type(obj)([_move(v, device, nb) for v in obj])


@_move.register
def _(obj: tuple, device: torch.device, nb: bool) -> Any:
    items = [_move(v, device, nb) for v in obj]
    return type(obj)(*items) if hasattr(obj, "_fields") else type(obj)(items)


def move_to(obj: Any, device: torch.device | str, non_blocking: bool = False) -> Any:
    device = torch.device(device)
    return _move(obj, device, non_blocking and device.type != "cpu")
