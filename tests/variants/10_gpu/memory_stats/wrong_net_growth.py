"""Known-wrong: reports memory_allocated() after minus before: the net growth, blind to the peak in between."""

from __future__ import annotations

from typing import Callable

import torch


def peak_memory(fn: Callable[[], object], device: torch.device | str = "cuda") -> int | None:
    device = torch.device(device)
    if device.type != "cuda":
        fn()
        return None
    before = torch.cuda.memory_allocated(device)
    fn()
    return int(torch.cuda.memory_allocated(device) - before)


def free_cached_memory(device: torch.device | str = "cuda") -> int:
    device = torch.device(device)
    if device.type != "cuda":
        return 0
    reserved = torch.cuda.memory_reserved(device)
    torch.cuda.empty_cache()
    return int(reserved - torch.cuda.memory_reserved(device))
