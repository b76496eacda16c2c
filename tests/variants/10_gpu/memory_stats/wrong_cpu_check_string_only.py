"""Known-wrong: tests device == 'cpu', so torch.device('cpu') (or 'cpu:0') goes down the CUDA path in both functions."""

from __future__ import annotations

from typing import Callable

import torch

def peak_memory(fn: Callable[[], object], device: torch.device | str = "cuda") -> int | None:
    if device == "cpu":
        fn()
        return None
    torch.cuda.reset_peak_memory_stats(device)
    baseline = torch.cuda.memory_allocated(device)
    fn()
    return int(torch.cuda.max_memory_allocated(device) - baseline)


def free_cached_memory(device: torch.device | str = "cuda") -> int:
    if device == "cpu":
        return 0
    before = torch.cuda.memory_reserved(device)
    torch.cuda.empty_cache()
    return int(before - torch.cuda.memory_reserved(device))
