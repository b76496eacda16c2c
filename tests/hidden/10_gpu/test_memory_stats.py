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


class TwoGPUs:
    """Two simulated GPUs; a call without a device (or with device=None) answers for the current one, cuda:0."""

    def __init__(self) -> None:
        self.sims = {0: visible.SimulatedAllocator(), 1: visible.SimulatedAllocator()}

    def on(self, device=None) -> "visible.SimulatedAllocator":
        if device is None:
            return self.sims[0]
        if isinstance(device, int):
            return self.sims[device]
        device = torch.device(device)
        assert device.type == "cuda", f"a torch.cuda statistics function was called with device={device!r}"
        return self.sims[0 if device.index is None else device.index]

    def empty_cache(self) -> None:  # like torch.cuda.empty_cache(): the current device only
        self.sims[0].empty_cache()


@pytest.fixture
def two_gpus(monkeypatch) -> TwoGPUs:
    sims = TwoGPUs()
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    for name in visible.PATCHED:
        if name == "empty_cache":
            replacement = sims.empty_cache
        else:
            replacement = (lambda name: lambda device=None: getattr(sims.on(device), name)())(name)
        for namespace in (torch.cuda, torch.cuda.memory):
            if hasattr(namespace, name):
                monkeypatch.setattr(namespace, name, replacement)
    return sims


@pytest.mark.parametrize("device", ["cuda:1", torch.device("cuda", 1)], ids=["str", "torch.device"])
def test_the_device_asked_for_is_the_one_measured(ex, two_gpus, device):
    gpu0, gpu1 = two_gpus.sims[0], two_gpus.sims[1]
    gpu0.alloc(5_000)  # the current device is busy with something else
    gpu1.alloc(1_000)  # the caller's memory on the measured device

    def step():  # fn works on cuda:1 only
        gpu1.alloc(600)
        gpu1.free(600)

    result = ex.peak_memory(step, device)
    assert result == 600, (
        f"fn rose 600 bytes on cuda:1 while cuda:0 stayed still; expected 600 for device={device!r}, got {result} "
        "(pass the device to reset_peak_memory_stats, memory_allocated and max_memory_allocated: "
        "without it they report the current device, cuda:0)")


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
