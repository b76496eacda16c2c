"""10_gpu/device_placement: pick a device that exists, and move every tensor of a nested batch to it."""


import pytest
import torch
from torch.utils._python_dispatch import TorchDispatchMode

from helpers import assert_tensor_equal, randn


@pytest.fixture
def machine(monkeypatch):
    """Simulates the machine the code runs on: ``machine(gpus=2)`` patches torch.cuda's two questions."""

    def simulate(gpus: int) -> None:
        monkeypatch.setattr(torch.cuda, "is_available", lambda: gpus > 0)
        monkeypatch.setattr(torch.cuda, "device_count", lambda: gpus)

    return simulate


def make_batch(seed: int = 0) -> dict:
    """A detection-style batch: tensors nested in dicts, lists and tuples, next to plain Python values."""
    return {
        "image": randn(2, 3, 4, 4, seed=seed),
        "target": {"boxes": [randn(3, 4, seed=seed + 1), randn(1, 4, seed=seed + 2)],
                   "labels": torch.tensor([1, 0, 2])},
        "crop": (randn(2, seed=seed + 3), 16),
        "id": 7,
        "path": "frames/000123.png",
        "mask": None,
    }


def leaves(obj, path="batch"):
    """(path, leaf) for every non-container value, in order."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from leaves(value, f"{path}[{key!r}]")
    elif isinstance(obj, (list, tuple)):
        for index, value in enumerate(obj):
            yield from leaves(value, f"{path}[{index}]")
    else:
        yield path, obj


def assert_same_structure(moved, original, path="batch"):
    """Container types, dict keys and order, and lengths all kept."""
    assert type(moved) is type(original) or isinstance(original, torch.Tensor), (
        f"{path}: expected a {type(original).__name__}, got {type(moved).__name__} "
        "(rebuild each container with its own type: a tuple must stay a tuple)")
    if isinstance(original, dict):
        assert list(moved) == list(original), f"{path}: expected keys {list(original)} in order, got {list(moved)}"
        for key in original:
            assert_same_structure(moved[key], original[key], f"{path}[{key!r}]")
    elif isinstance(original, (list, tuple)):
        assert len(moved) == len(original), f"{path}: expected {len(original)} items, got {len(moved)}"
        for index, (m, o) in enumerate(zip(moved, original)):
            assert_same_structure(m, o, f"{path}[{index}]")


def test_pick_device_falls_back_to_the_cpu_without_a_gpu(ex, machine):
    machine(gpus=0)
    for prefer in (None, "cuda", "cuda:0", "cpu"):
        device = ex.pick_device(prefer)
        assert type(device) is torch.device, f"pick_device({prefer!r}): expected a torch.device, got {type(device).__name__}"
        assert device == torch.device("cpu"), (
            f"pick_device({prefer!r}) on a machine without CUDA: expected cpu, got {device} "
            "(check torch.cuda.is_available() before handing out a GPU)")


def test_pick_device_uses_a_gpu_that_exists(ex, machine):
    machine(gpus=2)
    for prefer in (None, "cuda"):
        device = ex.pick_device(prefer)
        assert type(device) is torch.device and device.type == "cuda" and device.index in (None, 0), (
            f"pick_device({prefer!r}) on a machine with 2 GPUs: expected cuda, got {device!r}")
    assert ex.pick_device("cuda:1") == torch.device("cuda:1"), "pick_device('cuda:1') with 2 GPUs: expected cuda:1"
    assert ex.pick_device("cpu") == torch.device("cpu"), "pick_device('cpu'): the caller asked for the CPU"


def test_pick_device_rejects_unknown_device_names(ex, machine):
    machine(gpus=1)
    with pytest.raises(ValueError):
        ex.pick_device("gpu")  # not a torch device type: PyTorch calls it "cuda"


def test_move_to_moves_every_nested_tensor(ex):
    # the "meta" device (shapes and dtypes, no data) shows on any machine which tensors moved
    batch = make_batch()
    moved = ex.move_to(batch, "meta")
    assert_same_structure(moved, batch)
    for (path, new), (_, old) in zip(leaves(moved), leaves(batch)):
        if isinstance(old, torch.Tensor):
            assert isinstance(new, torch.Tensor) and new.device.type == "meta", (
                f"{path}: expected a tensor on meta, got {getattr(new, 'device', type(new).__name__)} "
                "(recurse into every dict, list and tuple, however deep)")
            assert new.shape == old.shape and new.dtype == old.dtype, (
                f"{path}: expected shape {tuple(old.shape)} and dtype {old.dtype}, got {tuple(new.shape)}, {new.dtype}")


def test_move_to_keeps_non_tensors_and_leaves_the_input_alone(ex):
    batch = make_batch()
    originals = [leaf for _, leaf in leaves(batch)]
    moved = ex.move_to(batch, torch.device("meta"))
    assert moved is not batch, "expected a new dict: the caller's batch must not be modified"
    assert (moved["id"], moved["path"], moved["mask"], moved["crop"][1]) == (7, "frames/000123.png", None, 16), (
        "values that are not tensors must come back unchanged")
    for (path, now), before in zip(leaves(batch), originals):
        assert now is before, f"{path} of the caller's batch was replaced: build new containers instead of assigning into obj"
        if isinstance(now, torch.Tensor):
            assert now.device.type == "cpu", f"{path} of the caller's batch moved to {now.device}"


def test_move_to_puts_the_values_on_the_device(ex, device):
    batch = make_batch(seed=10)
    moved = ex.move_to(batch, device, non_blocking=True)
    if device.type == "cuda":
        torch.cuda.synchronize()
    assert_same_structure(moved, batch)
    for (path, new), (_, old) in zip(leaves(moved), leaves(batch)):
        if isinstance(old, torch.Tensor):
            assert_tensor_equal(new, old.to(device), what=path, hint="every tensor must arrive with its values intact")


class CopySpy(TorchDispatchMode):
    """Records (destination device type, non_blocking) of every tensor copy dispatched while it is active.

    A copy out of the meta device (no data) onto the CPU is answered with zeros, so the blocking rule for
    copies that land on the CPU can be watched on a machine without a GPU.
    """

    def __init__(self) -> None:
        super().__init__()
        self.copies: list[tuple[str, bool]] = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        name = func.overloadpacket.__name__
        if name == "_to_copy":
            src, dest = args[0], torch.device(kwargs.get("device") or args[0].device)
            self.copies.append((dest.type, bool(kwargs.get("non_blocking", False))))
            if src.device.type == "meta" and dest.type != "meta":
                return torch.zeros(src.shape, dtype=kwargs.get("dtype") or src.dtype, device=dest)
        elif name == "copy_":
            non_blocking = kwargs.get("non_blocking", args[2] if len(args) > 2 else False)
            self.copies.append((args[0].device.type, bool(non_blocking)))
        return func(*args, **kwargs)


def copies_made(ex, obj, device, **kwargs):
    """move_to(obj, device, **kwargs) and the (destination type, non_blocking) of each tensor copy it made."""
    with CopySpy() as spy:
        moved = ex.move_to(obj, device, **kwargs)
    return moved, spy.copies


def test_non_blocking_only_for_copies_that_do_not_land_on_the_cpu(ex):
    to_device, copies = copies_made(ex, {"x": randn(3, seed=1), "y": [randn(2, seed=2)]}, "meta", non_blocking=True)
    assert to_device["x"].device.type == "meta" and to_device["y"][0].device.type == "meta"
    assert len(copies) >= 2 and all(non_blocking for _, non_blocking in copies), (
        f"move_to(..., 'meta', non_blocking=True): expected every copy made with non_blocking=True, got {copies} "
        "(pass non_blocking on to tensor.to(device, non_blocking=...))")
    batch = {"x": torch.empty(3, device="meta"), "y": [torch.empty(2, device="meta")]}
    to_cpu, copies = copies_made(ex, batch, "cpu", non_blocking=True)
    assert to_cpu["x"].device.type == "cpu" and to_cpu["y"][0].device.type == "cpu"
    assert len(copies) >= 2 and not any(non_blocking for _, non_blocking in copies), (
        f"move_to(..., 'cpu', non_blocking=True): expected every copy to the CPU made with non_blocking=False, got "
        f"{copies} (a non-blocking copy into host memory can be read before it lands: ignore the flag there)")


@pytest.mark.cuda
def test_pinned_batch_is_copied_without_blocking(ex):
    gpu = torch.device("cuda")
    batch = {"x": randn(256, 1024, seed=1).pin_memory(), "y": [torch.arange(256).pin_memory(), 3]}
    assert ex.pick_device("cuda").type == "cuda", "pick_device('cuda') on a GPU machine must return a CUDA device"
    moved = ex.move_to(batch, gpu, non_blocking=True)
    torch.cuda.synchronize()  # a non-blocking copy is only guaranteed to have landed after a synchronize
    assert moved["x"].device.type == "cuda" and moved["y"][0].device.type == "cuda"
    assert moved["y"][1] == 3
    assert_tensor_equal(moved["x"].cpu(), batch["x"], what="x copied from pinned memory")
    assert_tensor_equal(moved["y"][0].cpu(), batch["y"][0], what="y copied from pinned memory")


@pytest.mark.cuda
def test_copy_back_to_the_cpu_is_ready_to_read(ex):
    x = torch.ones(4096, 4096, device="cuda")
    torch.cuda._sleep(50_000_000)  # keeps the stream busy, so a copy queued behind it lands late
    y = x * 3
    back = ex.move_to({"y": y}, "cpu", non_blocking=True)
    # read at once, without a synchronize: a non-blocking device-to-host copy would still be in flight
    assert bool((back["y"] == 3).all()), (
        "the CPU read the copied tensor before the copy landed: copies to the CPU must block "
        "(pass non_blocking only when the destination is a GPU)")
