"""Known-correct alternative: reads the baseline before resetting the peak, synchronizes around fn(), and shares one device-parsing helper."""

from __future__ import annotations

from typing import Callable

import torch


def _cuda_or_none(device: torch.device | str) -> torch.device | None:
    dev = device if isinstance(device, torch.device) else torch.device(device)
    return None if dev.type == "cpu" else dev


def peak_memory(fn: Callable[[], object], device: torch.device | str = "cuda") -> int | None:
    dev = _cuda_or_none(device)
    if dev is None:
        fn()
        return None
    torch.cuda.synchronize(dev)
    start = torch.cuda.memory_allocated(dev)  # nothing allocates between this and the reset
    torch.cuda.reset_peak_memory_stats(dev)  # the peak is now the current level: `start`
    fn()
    torch.cuda.synchronize(dev)
    rise = torch.cuda.max_memory_allocated(dev) - start
    return max(int(rise), 0)


def free_cached_memory(device: torch.device | str = "cuda") -> int:
    dev = _cuda_or_none(device)
    if dev is None:
        return 0
    reserved = lambda: torch.cuda.memory_reserved(dev)  # noqa: E731
    held = reserved()
    torch.cuda.empty_cache()
    return int(held - reserved())
