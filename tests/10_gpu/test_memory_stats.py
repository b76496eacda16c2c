"""10_gpu/memory_stats: the peak of one call above its own baseline, and what empty_cache() releases."""

import pytest
import torch
from torch import nn
from torch.utils.checkpoint import checkpoint

MiB = 1 << 20


class SimulatedAllocator:
    """Stands in for the torch.cuda allocator statistics, so the bookkeeping runs on a machine without a GPU.

    ``alloc``/``free`` play the tensors a step creates and drops; freed memory stays *reserved* (cached) until
    ``empty_cache()``, as in PyTorch's caching allocator.
    """

    def __init__(self) -> None:
        self.allocated = self.peak = self.reserved = 0

    def alloc(self, nbytes: int) -> None:
        self.allocated += nbytes
        self.peak = max(self.peak, self.allocated)
        self.reserved = max(self.reserved, self.allocated)

    def free(self, nbytes: int) -> None:
        self.allocated -= nbytes

    # the torch.cuda functions it replaces
    def memory_allocated(self, device=None) -> int:
        return self.allocated

    def max_memory_allocated(self, device=None) -> int:
        return self.peak

    def reset_peak_memory_stats(self, device=None) -> None:
        self.peak = self.allocated

    def memory_reserved(self, device=None) -> int:
        return self.reserved

    def max_memory_reserved(self, device=None) -> int:
        return self.reserved

    def empty_cache(self) -> None:
        self.reserved = self.allocated

    def synchronize(self, device=None) -> None:
        pass

    def memory_stats(self, device=None) -> dict:
        return {"allocated_bytes.all.current": self.allocated, "allocated_bytes.all.peak": self.peak,
                "reserved_bytes.all.current": self.reserved, "reserved_bytes.all.peak": self.reserved}


PATCHED = ["memory_allocated", "max_memory_allocated", "reset_peak_memory_stats", "memory_reserved",
           "max_memory_reserved", "empty_cache", "synchronize", "memory_stats"]


@pytest.fixture
def gpu(monkeypatch) -> SimulatedAllocator:
    """A simulated GPU: torch.cuda's availability and allocator statistics answered by a SimulatedAllocator."""
    sim = SimulatedAllocator()
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    for name in PATCHED:
        for namespace in (torch.cuda, torch.cuda.memory):
            if hasattr(namespace, name):
                monkeypatch.setattr(namespace, name, getattr(sim, name))
    return sim


def test_reports_the_peak_not_the_end_state(ex, gpu):
    def step():  # activations pile up in forward, then backward frees them
        gpu.alloc(300)
        gpu.alloc(200)
        gpu.free(500)

    result = ex.peak_memory(step, "cuda")
    assert type(result) is int, f"expected an int (bytes), got {type(result).__name__}"
    assert result == 500, (
        f"fn held 500 bytes at its peak and freed them all before returning; expected 500, got {result} "
        "(read torch.cuda.max_memory_allocated, not the memory still allocated at the end)")


def test_memory_the_caller_holds_is_not_counted(ex, gpu):
    gpu.alloc(10_000)  # the model's weights, allocated long before

    def step():
        gpu.alloc(700)
        gpu.free(700)

    result = ex.peak_memory(step, torch.device("cuda"))
    assert result == 700, (
        f"fn rose 700 bytes above the 10000 already allocated; expected 700, got {result} "
        "(subtract torch.cuda.memory_allocated() taken at the start)")


def test_an_earlier_peak_is_not_counted(ex, gpu):
    gpu.alloc(50_000)  # an earlier, bigger step
    gpu.free(50_000)

    result = ex.peak_memory(lambda: gpu.alloc(300), "cuda:0")
    assert result == 300, (
        f"fn allocated 300 bytes, but the peak counter still remembered an earlier 50000; expected 300, got {result} "
        "(call torch.cuda.reset_peak_memory_stats() before running fn)")


def test_on_the_cpu_fn_runs_once_and_the_answer_is_none(ex):
    calls = []
    assert ex.peak_memory(lambda: calls.append(1), "cpu") is None, "a CPU device has no allocator statistics: return None"
    assert calls == [1], f"expected fn to run exactly once, it ran {len(calls)} times"


@pytest.mark.parametrize("cpu", [torch.device("cpu"), "cpu:0"], ids=["torch.device", "cpu:0"])
def test_a_cpu_device_given_any_way_has_no_statistics(ex, gpu, cpu):
    gpu.alloc(100)  # a simulated GPU is present, but the caller asks about the CPU
    calls = []
    result = ex.peak_memory(lambda: (calls.append(1), gpu.alloc(50)), cpu)
    assert result is None, (
        f"device={cpu!r} is a CPU device; expected None, got {result!r} "
        "(compare torch.device(device).type with 'cpu': torch.device('cpu') == 'cpu' is False)")
    assert calls == [1], f"expected fn to run exactly once, it ran {len(calls)} times"
    gpu.alloc(400)  # a freed temporary: cached on the simulated GPU, which the caller did not ask about
    gpu.free(400)
    released = ex.free_cached_memory(cpu)
    assert released == 0, f"device={cpu!r} is a CPU device: expected 0, got {released!r}"


def test_empty_cache_releases_cached_blocks_not_tensors(ex, gpu):
    gpu.alloc(1_000)  # a tensor the caller still holds
    gpu.alloc(4_000)  # a temporary, freed: its block stays cached
    gpu.free(4_000)
    released = ex.free_cached_memory("cuda")
    assert type(released) is int, f"expected an int (bytes), got {type(released).__name__}"
    assert released == 4_000, (
        f"5000 bytes were reserved and 1000 still in use; expected 4000 released, got {released} "
        "(compare torch.cuda.memory_reserved() before and after torch.cuda.empty_cache())")
    assert gpu.allocated == 1_000 and gpu.reserved == 1_000, "empty_cache() must have run and left live tensors alone"
    assert ex.free_cached_memory("cpu") == 0, "on a CPU device nothing is cached: expected 0"


def make_mlp(depth: int, width: int) -> nn.Sequential:
    torch.manual_seed(0)
    # four Linear+ReLU pairs per block: a checkpointed block keeps one saved tensor instead of four
    return nn.Sequential(*[nn.Sequential(*[layer for _ in range(4) for layer in (nn.Linear(width, width), nn.ReLU())])
                           for _ in range(depth)])


def train_step(model: nn.Sequential, x: torch.Tensor, checkpointed: bool):
    def step():
        h = x
        for block in model:
            h = checkpoint(block, h, use_reentrant=False) if checkpointed else block(h)
        h.sum().backward()
        model.zero_grad(set_to_none=True)
    return step


@pytest.mark.cuda
def test_peak_of_real_allocations(ex):
    torch.cuda.empty_cache()
    held = torch.empty(32 * MiB, dtype=torch.uint8, device="cuda")  # the caller's memory: not counted
    big = torch.empty(128 * MiB, dtype=torch.uint8, device="cuda")  # an earlier peak: not counted
    del big

    def fn():
        scratch = torch.empty(16 * MiB, dtype=torch.uint8, device="cuda")
        del scratch

    before = torch.cuda.memory_allocated()
    result = ex.peak_memory(fn, "cuda")
    assert type(result) is int
    assert 16 * MiB <= result < 20 * MiB, (
        f"fn allocated 16 MiB at its peak; expected about {16 * MiB} bytes, got {result} "
        "(reset the peak counter and subtract the starting allocation)")
    assert torch.cuda.memory_allocated() == before
    del held


@pytest.mark.cuda
def test_checkpointing_lowers_the_peak(ex):
    model = make_mlp(depth=8, width=256).cuda()
    x = torch.randn(4096, 256, device="cuda", requires_grad=True)
    plain = ex.peak_memory(train_step(model, x, checkpointed=False), "cuda")
    saved = ex.peak_memory(train_step(model, x, checkpointed=True), "cuda")
    assert saved < 0.7 * plain, (
        f"activation checkpointing keeps only block inputs, so its peak should be well below the plain model's: "
        f"plain {plain / MiB:.1f} MiB, checkpointed {saved / MiB:.1f} MiB")


@pytest.mark.cuda
def test_empty_cache_keeps_live_tensors(ex):
    torch.cuda.empty_cache()
    keep = torch.ones(16 * MiB, dtype=torch.uint8, device="cuda")
    temp = torch.empty(64 * MiB, dtype=torch.uint8, device="cuda")
    del temp  # freed, but its block stays in the allocator's cache
    allocated = torch.cuda.memory_allocated()
    assert torch.cuda.memory_reserved() >= 80 * MiB
    released = ex.free_cached_memory("cuda")
    assert type(released) is int
    assert released >= 62 * MiB, f"the freed 64 MiB block was cached; expected it released, got {released / MiB:.1f} MiB"
    assert torch.cuda.memory_allocated() == allocated, "empty_cache() must not free memory a live tensor holds"
    assert int(keep.sum()) == 16 * MiB, "the live tensor's contents must be intact"
