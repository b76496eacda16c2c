"""Known-wrong: returns max_memory_allocated() after a reset, counting memory the caller already held."""

from __future__ import annotations

from typing import Callable

import torch

def peak_memory(fn: Callable[[], object], device: torch.device | str = "cuda") -> int | None:
    dev = torch.device(device)
    if dev.type == "cpu":
        fn()
        return None
    torch.cuda.reset_peak_memory_stats(dev)
    fn()
    return int(torch.cuda.max_memory_allocated(dev))


def free_cached_memory(device: torch.device | str = "cuda") -> int:
    dev = torch.device(device)
    if dev.type == "cpu":
        return 0
    before = torch.cuda.memory_reserved(dev)
    torch.cuda.empty_cache()
    return int(before - torch.cuda.memory_reserved(dev))
