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


class FakeClocks:
    """A host clock and a simulated GPU, both virtual, so the timings are exact and the test needs no GPU.

    ``time.perf_counter`` reads the host clock. A "GPU" call of ``fn`` returns at once and only queues its work:
    the GPU's stream runs it later. ``torch.cuda.Event`` records the stream position (in ms) at which the GPU
    will reach it; ``elapsed_time`` raises, as CUDA does, unless the timing was enabled on both events and the
    host waited for the end event (``event.synchronize()``, ``torch.cuda.synchronize()`` or a stream's).
    """

    def __init__(self) -> None:
        self.host_s = 1_000.0  # perf_counter seconds
        self.queued_ms = 0.0   # where the GPU stream's queue ends
        self.waited_ms = 0.0   # how far the host has waited for the GPU

    def perf_counter(self) -> float:
        return self.host_s

    def wait_all(self, *args, **kwargs) -> None:
        self.waited_ms = self.queued_ms

    def fake_event_class(self):
        clocks = self

        class FakeEvent:
            def __init__(self, enable_timing: bool = False, blocking: bool = False, interprocess: bool = False):
                self.enable_timing, self.at_ms = enable_timing, None

            def record(self, stream=None) -> None:
                self.at_ms = clocks.queued_ms

            def synchronize(self) -> None:
                clocks.waited_ms = max(clocks.waited_ms, self.at_ms)

            def query(self) -> bool:
                return self.at_ms is not None and clocks.waited_ms >= self.at_ms

            def wait(self, stream=None) -> None:
                pass

            def elapsed_time(self, end) -> float:
                if not (self.enable_timing and end.enable_timing):
                    raise RuntimeError("Both events must be created with argument 'enable_timing=True'.")
                if self.at_ms is None or end.at_ms is None:
                    raise RuntimeError("Both events must be recorded before calculating elapsed time.")
                if clocks.waited_ms < end.at_ms:
                    raise RuntimeError("CUDA error: device not ready (the host did not wait for the end event)")
                return float(end.at_ms - self.at_ms)

        return FakeEvent


class FakeStream:
    def __init__(self, clocks: FakeClocks) -> None:
        self.synchronize = clocks.wait_all

    def wait_event(self, event) -> None:
        pass


class FakeDeviceContext:
    def __init__(self, device=None) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> bool:
        return False


@pytest.fixture
def clocks(monkeypatch) -> FakeClocks:
    sim = FakeClocks()
    monkeypatch.setattr(time, "perf_counter", sim.perf_counter)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    monkeypatch.setattr(torch.cuda, "Event", sim.fake_event_class())
    monkeypatch.setattr(torch.cuda, "synchronize", sim.wait_all)
    monkeypatch.setattr(torch.cuda, "current_stream", lambda device=None: FakeStream(sim))
    monkeypatch.setattr(torch.cuda, "default_stream", lambda device=None: FakeStream(sim))
    monkeypatch.setattr(torch.cuda, "device", FakeDeviceContext)
    monkeypatch.setattr(torch.cuda, "current_device", lambda: 0)
    return sim


class ScheduledFn:
    """Each call lasts the next duration of a schedule (ms): on the host clock, or queued on the simulated GPU."""

    def __init__(self, clocks: FakeClocks, durations_ms: list[float], on_gpu: bool) -> None:
        self.clocks, self.durations_ms, self.on_gpu, self.calls = clocks, durations_ms, on_gpu, 0

    def __call__(self) -> None:
        ms = self.durations_ms[self.calls]
        self.calls += 1
        if self.on_gpu:
            self.clocks.queued_ms += ms
            self.clocks.host_s += 1e-6  # a launch returns almost at once
        else:
            self.clocks.host_s += ms / 1000.0


# two warm-up calls of 40 ms, then timed calls whose durations differ: their mean is 5 ms, the fastest 2 ms
WARM, TIMED = [40.0, 40.0], [2.0, 8.0, 2.0, 8.0]


@pytest.mark.parametrize("device", ["cpu", torch.device("cpu")], ids=["str", "torch.device"])
def test_the_host_clock_gives_the_exact_mean_in_milliseconds(ex, clocks, device):
    fn = ScheduledFn(clocks, WARM + TIMED, on_gpu=False)
    result = ex.time_gpu(fn, warmup=2, iters=4, device=device)
    assert type(result) is float, f"expected a Python float, got {type(result).__name__}"
    assert fn.calls == 6, f"expected 2 + 4 = 6 calls, got {fn.calls}"
    assert result == pytest.approx(5.0, rel=1e-9), (
        f"the timed calls lasted 2, 8, 2 and 8 ms on time.perf_counter(); expected their mean, 5.0 ms, got {result!r} "
        "(likely cause: the fastest call or the total instead of the mean, seconds instead of ms, or the warm-up "
        "timed too)")


@pytest.mark.parametrize("device", ["cuda", torch.device("cuda"), None], ids=["str", "torch.device", "default"])
def test_cuda_events_time_the_queued_work(ex, clocks, device):
    fn = ScheduledFn(clocks, WARM + TIMED, on_gpu=True)
    result = ex.time_gpu(fn, warmup=2, iters=4, device=device)
    assert type(result) is float, f"expected a Python float, got {type(result).__name__}"
    assert fn.calls == 6, f"expected 2 + 4 = 6 calls, got {fn.calls}"
    assert result == pytest.approx(5.0, rel=1e-9), (
        f"on a (simulated) GPU the timed calls' kernels ran 2, 8, 2 and 8 ms after returning at once; expected "
        f"their mean, 5.0 ms, from CUDA events, got {result!r} for device={device!r} "
        "(likely cause: the host clock on CUDA times only the launches; device=None must mean CUDA when it is "
        "available; or the total instead of the mean)")


def test_bad_counts_raise_before_fn_runs(ex):
    calls = []
    for warmup, iters in [(3, 0), (0, -2), (-1, 5)]:
        with pytest.raises(ValueError):
            ex.time_gpu(lambda: calls.append(1), warmup=warmup, iters=iters, device="cpu")
    assert calls == [], f"expected a ValueError before any call of fn, but fn ran {len(calls)} times"
    assert type(ex.time_gpu(lambda: calls.append(1), warmup=0, iters=1, device="cpu")) is float, (
        "warmup=0 and iters=1 are allowed")
