"""10_gpu/cuda_timing: warm-up calls untimed, the timed calls measured to completion, milliseconds per call."""

import time

import pytest
import torch


class SleepyFn:
    """A callable whose warm-up calls are slow and timed calls quick, recording when each call ran.

    The warm-up calls are 15x slower so that timing them by mistake shows; the recorded spans bracket
    what a correct timer must report.
    """

    def __init__(self, warmup: int, warm_ms: float = 30.0, timed_ms: float = 2.0) -> None:
        self.warmup, self.warm_ms, self.timed_ms = warmup, warm_ms, timed_ms
        self.spans: list[tuple[float, float]] = []

    def __call__(self) -> None:
        start = time.perf_counter()
        time.sleep((self.warm_ms if len(self.spans) < self.warmup else self.timed_ms) / 1000.0)
        self.spans.append((start, time.perf_counter()))

    def bracket(self, iters: int, slack_ms: float = 3.0) -> tuple[float, float]:
        """(lowest, highest) plausible ms per timed call, from the calls' own clocks."""
        timed = self.spans[-iters:]
        inside = sum(end - start for start, end in timed) * 1000.0 / iters
        span = (timed[-1][1] - timed[0][0]) * 1000.0 / iters
        return 0.9 * inside, span + slack_ms


def check_timing(result, fn: SleepyFn, warmup: int, iters: int) -> None:
    assert type(result) is float, f"expected a Python float (milliseconds), got {type(result).__name__}"
    assert len(fn.spans) == warmup + iters, (
        f"expected fn to be called {warmup} (warm-up) + {iters} (timed) = {warmup + iters} times, "
        f"got {len(fn.spans)} calls")
    low, high = fn.bracket(iters)
    assert result >= low, (
        f"expected about {low / 0.9:.2f} ms per call, got {result:.4f}; likely cause: seconds instead of "
        "milliseconds (perf_counter counts seconds), or the clock stopped before the calls finished")
    assert result <= high, (
        f"expected at most {high:.2f} ms per call, got {result:.2f}; likely cause: the warm-up calls were timed too, "
        "or the total time was returned instead of the mean per call")


def test_calls_warmup_then_times_the_rest_in_milliseconds(ex):
    fn = SleepyFn(warmup=2)
    result = ex.time_gpu(fn, warmup=2, iters=6, device="cpu")
    check_timing(result, fn, warmup=2, iters=6)


def test_default_device_without_cuda_uses_the_host_clock(ex, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    fn = SleepyFn(warmup=1)
    result = ex.time_gpu(fn, warmup=1, iters=3)
    check_timing(result, fn, warmup=1, iters=3)


def test_rejects_nonsense_counts(ex):
    with pytest.raises(ValueError):
        ex.time_gpu(lambda: None, warmup=1, iters=0, device="cpu")
    with pytest.raises(ValueError):
        ex.time_gpu(lambda: None, warmup=-1, iters=3, device="cpu")


class GpuBusyFn:
    """Queues a GPU kernel that spins for a fixed number of clock cycles: the Python call returns at once."""

    def __init__(self, warmup: int, warm_cycles: int = 50_000_000, timed_cycles: int = 10_000_000) -> None:
        self.warmup, self.warm_cycles, self.timed_cycles, self.calls = warmup, warm_cycles, timed_cycles, 0

    def __call__(self) -> None:
        torch.cuda._sleep(self.warm_cycles if self.calls < self.warmup else self.timed_cycles)
        self.calls += 1


def reference_ms(cycles: int, repeats: int = 3) -> float:
    """The kernel's real duration: host clock with synchronize on both sides."""
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(repeats):
        torch.cuda._sleep(cycles)
    torch.cuda.synchronize()
    return (time.perf_counter() - start) * 1000.0 / repeats


@pytest.mark.cuda
def test_gpu_kernels_are_timed_to_completion(ex):
    fn = GpuBusyFn(warmup=2)
    expected = reference_ms(fn.timed_cycles)
    result = ex.time_gpu(fn, warmup=2, iters=5, device="cuda")
    assert type(result) is float, f"expected a Python float, got {type(result).__name__}"
    assert fn.calls == 7, f"expected 2 + 5 = 7 calls, got {fn.calls}"
    assert result >= 0.7 * expected, (
        f"each call keeps the GPU busy for about {expected:.2f} ms but the timer reported {result:.4f} ms: "
        "it measured only the kernel launches (CUDA is asynchronous: record CUDA events and synchronize before "
        "reading the clock)")
    assert result <= 1.3 * expected + 0.5, (
        f"expected about {expected:.2f} ms per call, got {result:.2f}: the slower warm-up kernels were still "
        "running inside the timed region (or the total was returned)")
