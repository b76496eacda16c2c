"""Timing GPU code: why the detector "runs in 0.02 ms", and how to measure what it really costs.

Scenario (004, low-latency deployment). Before shipping the pedestrian detector you time it with
``time.perf_counter()`` around ``model(x)`` and read 0.02 ms on the GPU: the time it takes to *queue* the kernels.
CUDA runs asynchronously, so the Python call returns as soon as the work is launched and a host clock stops
before the GPU has done anything. The first calls also pay one-off costs (CUDA context, cuDNN autotuning,
allocator growth) that a steady-state latency must leave out.

Task: ``time_gpu(fn, warmup, iters, device)`` returns the mean time of one ``fn()`` call in milliseconds, as a
Python float.
- Call ``fn()`` ``warmup`` times untimed, then ``iters`` times timed: ``warmup + iters`` calls in all.
- On CUDA, record a ``torch.cuda.Event(enable_timing=True)`` before and another after the timed calls; CUDA
  events are timestamps taken by the GPU itself, in stream order. Wait for the end event (``end.synchronize()``
  or ``torch.cuda.synchronize()``) before reading ``start.elapsed_time(end)`` (milliseconds).
- On the CPU use ``time.perf_counter()`` (seconds) around the timed calls, called as ``time.perf_counter()``
  (the tests drive that clock); nothing to synchronize.
- ``device=None`` means CUDA when ``torch.cuda.is_available()``, else the CPU.
- ``iters < 1`` or ``warmup < 0`` raises ``ValueError``, before ``fn`` is called at all.
"""

from __future__ import annotations

import time
from typing import Callable

import torch


def time_gpu(
    fn: Callable[[], object],
    warmup: int = 3,
    iters: int = 10,
    device: torch.device | str | None = None,
) -> float:
    """Mean milliseconds per ``fn()`` call, after ``warmup`` untimed calls."""
    if iters < 1 or warmup < 0:
        raise ValueError(f"need iters >= 1 and warmup >= 0, got iters={iters}, warmup={warmup}")
    if device is None:
        device = "cuda" if torch.cuda.is_available() else "cpu"
    device = torch.device(device)
    for _ in range(warmup):
        fn()
    if device.type == "cuda":
        return _time_cuda(fn, iters, device)
    start = time.perf_counter()
    for _ in range(iters):
        fn()
    return (time.perf_counter() - start) * 1000.0 / iters


def _time_cuda(fn: Callable[[], object], iters: int, device: torch.device) -> float:
    with torch.cuda.device(device):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        # events are recorded in stream order: start waits behind the warm-up kernels, end behind the timed ones
        start.record()
        for _ in range(iters):
            fn()
        end.record()
        # the host reaches this line long before the GPU reaches `end`: wait for it before reading the clock
        end.synchronize()
        return start.elapsed_time(end) / iters
