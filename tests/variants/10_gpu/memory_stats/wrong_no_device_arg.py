"""Known-wrong: calls the allocator functions without the device, so they report the current device (cuda:0) whatever device was asked."""

from __future__ import annotations

from typing import Callable

import torch

def peak_memory(fn: Callable[[], object], device: torch.device | str = "cuda") -> int | None:
    if torch.device(device).type == "cpu":
        fn()
        return None
    torch.cuda.reset_peak_memory_stats()
    baseline = torch.cuda.memory_allocated()
    fn()
    return int(torch.cuda.max_memory_allocated() - baseline)


def free_cached_memory(device: torch.device | str = "cuda") -> int:
    if torch.device(device).type == "cpu":
        return 0
    before = torch.cuda.memory_reserved()
    torch.cuda.empty_cache()
    return int(before - torch.cuda.memory_reserved())
