"""10_gpu/cuda_timing, hidden: other counts, no warm-up, one timed call, and the default device on a GPU."""

import time

import pytest
import torch

from helpers import visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("warmup,iters", [(0, 3), (3, 1), (1, 10)])
def test_other_warmup_and_iteration_counts(ex, warmup, iters):
    fn = visible.SleepyFn(warmup=warmup)
    result = ex.time_gpu(fn, warmup=warmup, iters=iters, device=torch.device("cpu"))
    visible.check_timing(result, fn, warmup=warmup, iters=iters)


def test_default_counts_are_three_and_ten(ex):
    fn = visible.SleepyFn(warmup=3, warm_ms=4.0, timed_ms=1.0)
    result = ex.time_gpu(fn, device="cpu")
    visible.check_timing(result, fn, warmup=3, iters=10)


def test_a_fast_function_gives_a_small_positive_time(ex):
    calls = []
    result = ex.time_gpu(lambda: calls.append(1), warmup=2, iters=50, device="cpu")
    assert type(result) is float and 0.0 <= result < 1.0, (
        f"an almost empty function should take well under 1 ms per call, got {result!r}")
    assert len(calls) == 52


@pytest.mark.cuda
def test_default_device_on_a_gpu_machine_uses_cuda_timing(ex):
    fn = visible.GpuBusyFn(warmup=1)
    expected = visible.reference_ms(fn.timed_cycles)
    result = ex.time_gpu(fn, warmup=1, iters=4)
    assert 0.7 * expected <= result <= 1.3 * expected + 0.5, (
        f"device=None on a GPU machine: expected about {expected:.2f} ms per call, got {result:.4f}")


@pytest.mark.cuda
def test_a_real_workload_matches_a_synchronized_clock(ex):
    a = torch.randn(2048, 2048, device="cuda")
    work = lambda: a @ a  # noqa: E731
    for _ in range(3):
        work()
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(10):
        work()
    torch.cuda.synchronize()
    expected = (time.perf_counter() - start) * 1000.0 / 10
    result = ex.time_gpu(work, warmup=3, iters=10, device="cuda")
    assert 0.5 * expected <= result <= 1.5 * expected + 0.5, (
        f"a 2048x2048 matmul takes about {expected:.3f} ms, time_gpu reported {result:.4f} ms")
