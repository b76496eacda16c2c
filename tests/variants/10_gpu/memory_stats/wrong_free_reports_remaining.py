"""Known-wrong: free_cached_memory returns memory_reserved() after empty_cache (what is still reserved), not what was released."""

from __future__ import annotations

from typing import Callable

import torch

def peak_memory(fn: Callable[[], object], device: torch.device | str = "cuda") -> int | None:
    dev = torch.device(device)
    if dev.type == "cpu":
        fn()
        return None
    torch.cuda.reset_peak_memory_stats(dev)
    baseline = torch.cuda.memory_allocated(dev)
    fn()
    return int(torch.cuda.max_memory_allocated(dev) - baseline)


def free_cached_memory(device: torch.device | str = "cuda") -> int:
    dev = torch.device(device)
    if dev.type == "cpu":
        return 0
    torch.cuda.empty_cache()
    return int(torch.cuda.memory_reserved(dev))
