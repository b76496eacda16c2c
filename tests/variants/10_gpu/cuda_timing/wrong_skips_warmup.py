"""Known-wrong: never makes the warm-up calls, so the first-call costs are timed."""

from __future__ import annotations

import time
from typing import Callable

import torch


def time_gpu(fn: Callable[[], object], warmup: int = 3, iters: int = 10,
             device: torch.device | str | None = None) -> float:
    if iters < 1 or warmup < 0:
        raise ValueError("need iters >= 1 and warmup >= 0")
    device = torch.device(device if device is not None else ("cuda" if torch.cuda.is_available() else "cpu"))
    if device.type == "cuda":
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        for _ in range(iters):
            fn()
        end.record()
        end.synchronize()
        return start.elapsed_time(end) / iters
    start = time.perf_counter()
    for _ in range(iters):
        fn()
    return (time.perf_counter() - start) * 1000.0 / iters
