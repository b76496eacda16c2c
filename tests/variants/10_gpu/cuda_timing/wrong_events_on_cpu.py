"""Known-wrong: always times with CUDA events, even when the device is the CPU (crashes without a GPU)."""

from __future__ import annotations

from typing import Callable

import torch


def time_gpu(fn: Callable[[], object], warmup: int = 3, iters: int = 10,
             device: torch.device | str | None = None) -> float:
    if iters < 1 or warmup < 0:
        raise ValueError("need iters >= 1 and warmup >= 0")
    for _ in range(warmup):
        fn()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(iters):
        fn()
    end.record()
    end.synchronize()
    return start.elapsed_time(end) / iters
