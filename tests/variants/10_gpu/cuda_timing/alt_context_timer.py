"""Known-correct alternative: one timer object per device kind (CUDA events under torch.cuda.device(...), or perf_counter), used as a context manager."""

from __future__ import annotations

import contextlib
import time  # noqa: F401  (perf_counter for the CPU path)
from typing import Callable

import torch


class _HostTimer:
    def __enter__(self):
        self._t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.ms = (time.perf_counter() - self._t0) * 1e3
        return False


class _CudaTimer:
    def __init__(self, device: torch.device):
        self._ctx = torch.cuda.device(device)

    def __enter__(self):
        self._ctx.__enter__()
        self._start = torch.cuda.Event(enable_timing=True)
        self._end = torch.cuda.Event(enable_timing=True)
        self._start.record()
        return self

    def __exit__(self, *exc):
        self._end.record()
        self._end.synchronize()
        self.ms = self._start.elapsed_time(self._end)
        self._ctx.__exit__(*exc)
        return False


def time_gpu(
    fn: Callable[[], object],
    warmup: int = 3,
    iters: int = 10,
    device: torch.device | str | None = None,
) -> float:
    if iters < 1 or warmup < 0:
        raise ValueError("need iters >= 1 and warmup >= 0")
    if device is None:
        device = "cuda" if torch.cuda.is_available() else "cpu"
    dev = torch.device(device)
    for _ in range(warmup):
        fn()
    timer = _CudaTimer(dev) if dev.type == "cuda" else _HostTimer()
    with timer:
        for _ in range(iters):
            fn()
    return timer.ms / iters
