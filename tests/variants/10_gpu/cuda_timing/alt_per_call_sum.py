"""Known-correct alternative: validates first, sums per-call perf_counter intervals on the CPU; on CUDA records the events on the given device's current stream and waits with torch.cuda.synchronize(device)."""

from __future__ import annotations

import time  # noqa: F401  (perf_counter for the CPU path)
from typing import Callable

import torch


def _resolve(device: torch.device | str | None) -> torch.device:
    if device is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device)


def _cuda_ms(fn: Callable[[], object], iters: int, device: torch.device) -> float:
    stream = torch.cuda.current_stream(device)
    start = torch.cuda.Event(enable_timing=True)
    end = torch.cuda.Event(enable_timing=True)
    start.record(stream)
    for _ in range(iters):
        fn()
    end.record(stream)
    torch.cuda.synchronize(device)
    return start.elapsed_time(end)


def _cpu_ms(fn: Callable[[], object], iters: int) -> float:
    total_s = 0.0
    for _ in range(iters):
        t0 = time.perf_counter()
        fn()
        total_s += time.perf_counter() - t0
    return total_s * 1000.0


def time_gpu(
    fn: Callable[[], object],
    warmup: int = 3,
    iters: int = 10,
    device: torch.device | str | None = None,
) -> float:
    if warmup < 0:
        raise ValueError(f"warmup must be >= 0, got {warmup}")
    if iters < 1:
        raise ValueError(f"iters must be >= 1, got {iters}")
    dev = _resolve(device)
    for _ in range(warmup):
        fn()
    total_ms = _cuda_ms(fn, iters, dev) if dev.type == "cuda" else _cpu_ms(fn, iters)
    return float(total_ms / iters)
