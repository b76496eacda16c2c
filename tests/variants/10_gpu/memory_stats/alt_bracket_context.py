"""Known-correct alternative: a context manager that brackets fn() (reset, baseline, peak) and a generic "reserved delta around an action" helper."""

from __future__ import annotations

import contextlib
from typing import Callable

import torch


@contextlib.contextmanager
def _peak_rise(dev: torch.device):
    box = {}
    torch.cuda.reset_peak_memory_stats(dev)
    base = torch.cuda.memory_allocated(dev)
    try:
        yield box
    finally:
        box["rise"] = torch.cuda.max_memory_allocated(dev) - base


def _reserved_drop(dev: torch.device, action: Callable[[], None]) -> int:
    before = torch.cuda.memory_reserved(dev)
    action()
    return before - torch.cuda.memory_reserved(dev)


def peak_memory(fn: Callable[[], object], device: torch.device | str = "cuda") -> int | None:
    dev = torch.device(device)
    if dev.type == "cpu":
        fn()
        return None
    with _peak_rise(dev) as box:
        fn()
    return int(box["rise"])


def free_cached_memory(device: torch.device | str = "cuda") -> int:
    dev = torch.device(device)
    return 0 if dev.type == "cpu" else int(_reserved_drop(dev, torch.cuda.empty_cache))
