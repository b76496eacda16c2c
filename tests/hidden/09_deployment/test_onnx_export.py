"""09_deployment/onnx_export, hidden: a conv net, the learner's own runner, and an eval-mode caller."""

import pytest
import torch
from torch import nn

from helpers import assert_tensor_close, randn, visible_tests

visible = visible_tests(__file__)
onnx_stack = visible.onnx_stack


@pytest.mark.slow
def test_conv_net_round_trip_with_run_onnx(onnx_stack, ex, tmp_path):
    torch.manual_seed(3)
    model = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                          nn.Flatten(), nn.Linear(4, 2)).eval()
    with torch.no_grad():
        model[1].running_var.uniform_(0.5, 2.0)
    path = tmp_path / "conv.onnx"
    ex.export_onnx(model, randn(2, 3, 8, 8, seed=3), path)
    assert not model.training, "the caller's model was in eval mode and came back in train mode"
    for batch in (1, 5):
        x = randn(batch, 3, 8, 8, seed=30 + batch)
        expected = visible.eager_eval(model, x)
        assert_tensor_close(visible.run_with_onnxruntime(onnx_stack, path, x), expected, atol=1e-5, rtol=1e-4,
                            what=f"ONNX Runtime output of the conv net at batch {batch}")
        assert_tensor_close(ex.run_onnx(path, x), expected, atol=1e-5, rtol=1e-4,
                            what=f"run_onnx output of the conv net at batch {batch}")


class Unexportable(nn.Module):
    """Calls .item() and branches on it: the exporter cannot trace a data-dependent Python branch."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(6, 3)
        self.drop = nn.Dropout(0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.fc(x).sum().item() > 0:
            return self.drop(x)
        return x


def test_mode_is_restored_when_the_export_fails(onnx_stack, ex, tmp_path):
    model = Unexportable().train()
    with pytest.raises(Exception) as failure:
        ex.export_onnx(model, randn(2, 6, seed=4), tmp_path / "broken.onnx")
    assert not isinstance(failure.value, NotImplementedError), "export_onnx is not written yet"
    assert model.training and model.drop.training, (
        "the export raised and the model was left in eval mode: restore the caller's modes in a `finally:`")


@pytest.mark.slow
def test_submodules_in_mixed_modes_keep_their_own(onnx_stack, ex, tmp_path):
    model = visible.make_model(5).train()
    model[1].eval()  # a BatchNorm the training job froze
    before = {name: m.training for name, m in model.named_modules()}
    path = tmp_path / "frozen_bn.onnx"
    ex.export_onnx(model, randn(3, 6, seed=5), path)
    after = {name: m.training for name, m in model.named_modules()}
    assert after == before, (
        f"the caller's per-submodule modes were {before}, export_onnx left {after} "
        "(remember every module's .training: model.train(flag) sets them all alike)")
    x = randn(4, 6, seed=6)
    assert_tensor_close(visible.run_with_onnxruntime(onnx_stack, path, x), visible.eager_eval(model, x),
                        atol=1e-5, rtol=1e-4, what="ONNX Runtime output of a model with a frozen BatchNorm")


def test_run_onnx_returns_the_first_of_several_outputs(onnx_stack, ex, tmp_path):
    import onnx
    from onnx import TensorProto, helper

    # outputs (2 * frame, frame * frame): run_onnx must hand back the first
    graph = helper.make_graph(
        [helper.make_node("Add", ["frame", "frame"], ["doubled"]),
         helper.make_node("Mul", ["frame", "frame"], ["squared"])],
        "two_outputs",
        [helper.make_tensor_value_info("frame", TensorProto.FLOAT, ["n", 2])],
        [helper.make_tensor_value_info("doubled", TensorProto.FLOAT, ["n", 2]),
         helper.make_tensor_value_info("squared", TensorProto.FLOAT, ["n", 2])])
    path = tmp_path / "two_outputs.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=9), str(path))
    x = randn(3, 2, seed=7)
    assert_tensor_close(ex.run_onnx(path, x), 2 * x, atol=1e-6, rtol=1e-6, what="run_onnx on a file with two outputs",
                        hint="return session.run(...)[0], the first output")
