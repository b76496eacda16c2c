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
