"""Known-wrong: reports a peak of 0 bytes on the CPU, where there are no statistics, instead of None."""

from __future__ import annotations

from typing import Callable

import torch


def peak_memory(fn: Callable[[], object], device: torch.device | str = "cuda") -> int | None:
    device = torch.device(device)
    if device.type != "cuda":
        fn()
        return 0
    torch.cuda.reset_peak_memory_stats(device)
    baseline = torch.cuda.memory_allocated(device)
    fn()
    return int(torch.cuda.max_memory_allocated(device) - baseline)


def free_cached_memory(device: torch.device | str = "cuda") -> int:
    device = torch.device(device)
    if device.type != "cuda":
        return 0
    reserved = torch.cuda.memory_reserved(device)
    torch.cuda.empty_cache()
    return int(reserved - torch.cuda.memory_reserved(device))
