"""10_gpu/memory_stats, hidden: repeated calls, empty functions, interleaved stats, and more real-GPU checks."""

import pytest
import torch

from helpers import visible_tests

visible = visible_tests(__file__)
gpu = visible.gpu
MiB = visible.MiB


def test_each_call_measures_only_itself(ex, gpu):
    big = ex.peak_memory(lambda: (gpu.alloc(9_000), gpu.free(9_000)), "cuda")
    small = ex.peak_memory(lambda: (gpu.alloc(100), gpu.free(100)), "cuda")
    assert (big, small) == (9_000, 100), (
        f"expected 9000 then 100 for two calls in a row, got {big} then {small} "
        "(reset the peak counter at the start of every call)")


def test_a_function_that_allocates_nothing_peaks_at_zero(ex, gpu):
    gpu.alloc(2_048)
    assert ex.peak_memory(lambda: None, "cuda") == 0


def test_memory_kept_by_fn_counts_at_its_peak(ex, gpu):
    def step():
        gpu.alloc(1_000)   # kept: a cache fn fills
        gpu.alloc(3_000)
        gpu.free(3_000)
    assert ex.peak_memory(step, "cuda") == 4_000
    assert ex.peak_memory(lambda: None, "cuda") == 0, "the 1000 bytes fn kept are the next call's baseline"


def test_fn_runs_exactly_once_on_the_gpu(ex, gpu):
    calls = []
    ex.peak_memory(lambda: (calls.append(1), gpu.alloc(10)), "cuda")
    assert calls == [1], f"expected fn to run once, it ran {len(calls)} times"


def test_nothing_cached_nothing_released(ex, gpu):
    gpu.alloc(500)
    assert ex.free_cached_memory("cuda") == 0
    gpu.free(500)
    assert ex.free_cached_memory(torch.device("cuda")) == 500


@pytest.mark.cuda
def test_tensors_returned_by_fn_count_toward_the_peak(ex):
    out = []
    result = ex.peak_memory(lambda: out.append(torch.empty(8 * MiB, dtype=torch.uint8, device="cuda")), "cuda")
    assert 8 * MiB <= result < 10 * MiB, f"expected about 8 MiB, got {result / MiB:.2f} MiB"


@pytest.mark.cuda
def test_peak_of_a_matmul_includes_its_output(ex):
    a = torch.randn(1024, 1024, device="cuda")
    result = ex.peak_memory(lambda: a @ a, "cuda")
    assert result >= 4 * MiB, f"a 1024x1024 float32 result needs 4 MiB; got {result / MiB:.2f} MiB"
