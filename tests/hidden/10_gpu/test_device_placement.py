"""10_gpu/device_placement, hidden: GPU indices, named tuples, OrderedDict, deep and edge-case structures."""

from collections import OrderedDict, namedtuple

import pytest
import torch

from helpers import randn, visible_tests

visible = visible_tests(__file__)
machine = visible.machine

Sample = namedtuple("Sample", ["image", "label", "meta"])


@pytest.mark.parametrize("gpus,prefer,expected", [
    (2, "cuda:3", "cpu"), (1, "cuda:1", "cpu"), (1, "cuda:0", "cuda:0"), (4, "cuda:3", "cuda:3"), (0, "cuda:1", "cpu"),
])
def test_pick_device_checks_the_gpu_index(ex, machine, gpus, prefer, expected):
    machine(gpus=gpus)
    device = ex.pick_device(prefer)
    assert type(device) is torch.device and device == torch.device(expected), (
        f"pick_device({prefer!r}) with {gpus} GPU(s): expected {expected}, got {device!r} "
        "(an index must be below torch.cuda.device_count())")


@pytest.mark.parametrize("name", ["tpu", "mps", "GPU0", "gpu:0"])
def test_pick_device_rejects_other_device_types(ex, machine, name):
    machine(gpus=1)
    with pytest.raises(ValueError):
        ex.pick_device(name)


def test_named_tuples_keep_their_type_and_fields(ex):
    sample = Sample(randn(3, seed=1), torch.tensor(2), {"ids": (randn(2, seed=2),)})
    moved = ex.move_to([sample, sample], "meta")
    assert type(moved) is list and len(moved) == 2
    for item in moved:
        assert type(item) is Sample, (
            f"expected the named tuple Sample, got {type(item).__name__} "
            "(a named tuple is built from separate arguments: type(obj)(*values))")
        assert item.image.device.type == "meta" and item.label.device.type == "meta"
        assert type(item.meta["ids"]) is tuple and item.meta["ids"][0].device.type == "meta"


def test_ordered_dict_and_key_order_are_kept(ex):
    batch = OrderedDict([("z", randn(2, seed=1)), ("a", [randn(1, seed=2)]), ("m", 3)])
    moved = ex.move_to(batch, "meta")
    assert type(moved) is OrderedDict, f"expected an OrderedDict, got {type(moved).__name__}"
    assert list(moved) == ["z", "a", "m"]
    assert moved["z"].device.type == "meta" and moved["a"][0].device.type == "meta" and moved["m"] == 3


def test_deeply_nested_and_empty_containers(ex):
    deep = randn(2, seed=5)
    for depth in range(6):
        deep = [deep] if depth % 2 else {"level": (deep,)}
    batch = {"deep": deep, "empty_list": [], "empty_tuple": (), "empty_dict": {}, (1, 2): randn(1, seed=6)}
    moved = ex.move_to(batch, "meta")
    visible.assert_same_structure(moved, batch)
    tensors = [leaf for _, leaf in visible.leaves(moved) if isinstance(leaf, torch.Tensor)]
    assert len(tensors) == 2 and all(t.device.type == "meta" for t in tensors), (
        "expected both tensors on meta, including the one six containers deep and the one under a tuple key")


# None rides along with 5: on its own it would come back as None from a move_to that does nothing at all
@pytest.mark.parametrize("values", [(5, None), ("text",), (2.5,)], ids=["5-and-None", "text", "2.5"])
def test_plain_values_come_back_as_they_are(ex, values):
    for obj in values:
        moved = ex.move_to(obj, "meta")
        assert moved is obj or moved == obj, (
            f"move_to({obj!r}, 'meta'): expected {obj!r} back as it is, got {moved!r}; likely cause: a value that is "
            "neither a tensor nor a dict, list or tuple must be returned unchanged (return obj, not None)")


def test_a_bare_tensor_and_a_device_object(ex):
    x = randn(3, 2, dtype=torch.float64, seed=3)
    moved = ex.move_to(x, torch.device("meta"))
    assert isinstance(moved, torch.Tensor) and moved.device.type == "meta" and moved.dtype == torch.float64
    assert x.device.type == "cpu"
    back = ex.move_to({"x": x}, "cpu", non_blocking=True)
    assert torch.equal(back["x"], x)


@pytest.mark.parametrize("cpu", ["cpu:0", torch.device("cpu"), torch.device("cpu", 0)], ids=str)
def test_copies_to_the_cpu_block_however_the_cpu_is_named(ex, cpu):
    moved, copies = visible.copies_made(ex, [torch.empty(2, device="meta"), (torch.empty(1, device="meta"),)], cpu,
                                        non_blocking=True)
    assert moved[0].device.type == "cpu" and moved[1][0].device.type == "cpu"
    assert len(copies) >= 2 and not any(non_blocking for _, non_blocking in copies), (
        f"move_to(..., {cpu!r}, non_blocking=True): expected blocking copies to the CPU, got {copies} "
        "(tell the CPU by torch.device(device).type, not by comparing the string with 'cpu')")


def test_copies_block_unless_asked(ex):
    moved, copies = visible.copies_made(ex, {"x": randn(3, seed=4)}, torch.device("meta"))
    assert moved["x"].device.type == "meta"
    assert copies and not any(non_blocking for _, non_blocking in copies), (
        f"move_to(obj, 'meta') without non_blocking: expected blocking copies (the default is False), got {copies}")
