"""11_distributed/model_parallel, hidden: other sizes, split sizes at the edges, micro-batches across devices."""

import pytest
import torch
from torch.nn import functional as F

from helpers import assert_tensor_close, randn, visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("rows,split_size", [(5, 8), (5, 5), (4, 1), (1, 2), (11, 4)])
def test_split_sizes_at_the_edges(ex, rows, split_size):
    model = visible.build(ex, split_size=split_size, seed=rows)
    x = randn(rows, 6, seed=rows + 20)
    out = model(x)
    assert_tensor_close(out, visible.reference_forward(model, x), atol=1e-6, rtol=1e-5,
                        what=f"{rows} rows with split_size={split_size}")


def test_micro_batches_cross_devices_too(ex):
    model = visible.build(ex, "cpu", "meta", split_size=2)
    out = visible.forward_across(model, randn(5, 6, seed=30), "cpu", "meta")
    assert out.device.type == "meta" and tuple(out.shape) == (5, 3), (
        f"with micro-batches every chunk's activations must move to dev1: got {tuple(out.shape)} on {out.device}")


def test_other_layer_sizes(ex):
    torch.manual_seed(1)
    model = ex.TwoStageModel("cpu", "cpu", in_features=3, hidden=5, num_classes=7)
    shapes = {name: tuple(p.shape) for name, p in model.state_dict().items()}
    assert shapes == {"stage1.0.weight": (5, 3), "stage1.0.bias": (5,), "stage1.2.weight": (5, 5),
                      "stage1.2.bias": (5,), "stage2.0.weight": (7, 5), "stage2.0.bias": (7,)}, shapes
    x = randn(6, 3, seed=31)
    assert_tensor_close(model(x), visible.reference_forward(model, x), atol=1e-6, rtol=1e-5, what="3 -> 5 -> 7 output")


def test_default_layer_sizes(ex):
    torch.manual_seed(2)
    model = ex.TwoStageModel("cpu", "cpu")
    shapes = {name: tuple(p.shape) for name, p in model.state_dict().items()}
    expected = {"stage1.0.weight": (32, 16), "stage1.0.bias": (32,), "stage1.2.weight": (32, 32),
                "stage1.2.bias": (32,), "stage2.0.weight": (4, 32), "stage2.0.bias": (4,)}
    assert shapes == expected, (
        f"with the default sizes (in_features=16, hidden=32, num_classes=4) expected {expected}, got {shapes}")
    x = randn(3, 16, seed=33)
    assert_tensor_close(model(x), visible.reference_forward(model, x), atol=1e-6, rtol=1e-5, what="default-size output")


def test_devices_given_as_torch_device_objects(ex):
    model = ex.TwoStageModel(torch.device("cpu"), torch.device("meta"), in_features=6, hidden=10, num_classes=3)
    assert model.stage2[0].weight.device.type == "meta" and model.stage1[0].weight.device.type == "cpu"
    assert visible.forward_across(model, randn(2, 6, seed=32), "cpu", "meta").device.type == "meta"


def test_micro_batch_gradients_match_on_a_larger_batch(ex):
    whole, piped = visible.build(ex, seed=40), visible.build(ex, split_size=7, seed=40)
    x, target = randn(30, 6, seed=41), randn(30, 3, seed=42)
    F.mse_loss(whole(x), target).backward()
    F.mse_loss(piped(x), target).backward()
    for (name, p), q in zip(piped.named_parameters(), whole.parameters()):
        assert_tensor_close(p.grad, q.grad, atol=1e-6, rtol=1e-5, what=f"{name}.grad, batch 30 in chunks of 7")
