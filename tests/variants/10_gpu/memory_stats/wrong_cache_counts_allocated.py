"""Known-wrong: measures empty_cache() by memory_allocated(), which it never changes, instead of memory_reserved()."""

from __future__ import annotations

from typing import Callable

import torch


def peak_memory(fn: Callable[[], object], device: torch.device | str = "cuda") -> int | None:
    device = torch.device(device)
    if device.type != "cuda":
        fn()
        return None
    torch.cuda.reset_peak_memory_stats(device)
    baseline = torch.cuda.memory_allocated(device)
    fn()
    return int(torch.cuda.max_memory_allocated(device) - baseline)


def free_cached_memory(device: torch.device | str = "cuda") -> int:
    device = torch.device(device)
    if device.type != "cuda":
        return 0
    allocated = torch.cuda.memory_allocated(device)
    torch.cuda.empty_cache()
    return int(allocated - torch.cuda.memory_allocated(device))
