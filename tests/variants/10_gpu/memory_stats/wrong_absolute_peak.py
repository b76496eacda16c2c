"""Known-wrong: returns max_memory_allocated() itself, counting the memory the caller already held."""

from __future__ import annotations

from typing import Callable

import torch


def peak_memory(fn: Callable[[], object], device: torch.device | str = "cuda") -> int | None:
    device = torch.device(device)
    if device.type != "cuda":
        fn()
        return None
    torch.cuda.reset_peak_memory_stats(device)
    fn()
    return int(torch.cuda.max_memory_allocated(device))


def free_cached_memory(device: torch.device | str = "cuda") -> int:
    device = torch.device(device)
    if device.type != "cuda":
        return 0
    reserved = torch.cuda.memory_reserved(device)
    torch.cuda.empty_cache()
    return int(reserved - torch.cuda.memory_reserved(device))
