"""Known-wrong: uses time.perf_counter() on every device, CUDA included, with no events and no synchronize (times the kernel launches)."""

from __future__ import annotations

import time  # noqa: F401  (perf_counter for the CPU path)
from typing import Callable

import torch

def time_gpu(
    fn: Callable[[], object],
    warmup: int = 3,
    iters: int = 10,
    device: torch.device | str | None = None,
) -> float:
    if iters < 1 or warmup < 0:
        raise ValueError("need iters >= 1 and warmup >= 0")
    for _ in range(warmup):
        fn()
    t0 = time.perf_counter()
    for _ in range(iters):
        fn()
    return (time.perf_counter() - t0) * 1000.0 / iters
