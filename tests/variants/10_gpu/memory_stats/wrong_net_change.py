"""Known-wrong: returns memory_allocated() after minus before (what fn kept), not the peak during fn."""

from __future__ import annotations

from typing import Callable

import torch

def peak_memory(fn: Callable[[], object], device: torch.device | str = "cuda") -> int | None:
    dev = torch.device(device)
    if dev.type == "cpu":
        fn()
        return None
    torch.cuda.reset_peak_memory_stats(dev)
    before = torch.cuda.memory_allocated(dev)
    fn()
    return int(torch.cuda.memory_allocated(dev) - before)


def free_cached_memory(device: torch.device | str = "cuda") -> int:
    dev = torch.device(device)
    if dev.type == "cpu":
        return 0
    before = torch.cuda.memory_reserved(dev)
    torch.cuda.empty_cache()
    return int(before - torch.cuda.memory_reserved(dev))
