"""09_deployment/torch_export, hidden: a conv net with a small example batch, and an eval-mode caller."""

import pytest
import torch
from torch import nn

from helpers import assert_tensor_close, randn, visible_tests

visible = visible_tests(__file__)
pytestmark = pytest.mark.slow


def test_conv_net_exported_from_two_images(ex, tmp_path):
    torch.manual_seed(5)
    model = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                          nn.Flatten(), nn.Dropout(0.3), nn.Linear(4, 2))
    with torch.no_grad():
        model[1].running_var.uniform_(0.5, 2.0)
    model.train()
    runner = visible.round_trip(ex, ex.export_model(model, randn(2, 3, 8, 8, seed=5)), tmp_path).module()
    assert model.training
    for batch in (1, 7):
        x = randn(batch, 3, 8, 8, seed=20 + batch)
        assert_tensor_close(runner(x), visible.eager_eval(model, x), atol=1e-5, rtol=1e-5,
                            what=f"conv program output at batch {batch} (exported from a batch of 2)")


def test_eval_mode_caller_stays_in_eval(ex, tmp_path):
    model = visible.make_model(6).eval()
    program = ex.export_model(model, randn(2, 5, seed=6))
    assert not model.training, "the caller's model was in eval mode and came back in train mode"
    x = randn(5, 5, seed=7)
    assert_tensor_close(program.module()(x), visible.eager_eval(model, x), atol=1e-5, rtol=1e-5,
                        what="program output at batch 5, without a save/load")
