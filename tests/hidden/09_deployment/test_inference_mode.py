"""09_deployment/inference_mode, hidden: a forward that raises, grad mode kept, nested modules, random models."""

import pytest
import torch
from torch import nn

from helpers import randn, visible_tests

visible = visible_tests(__file__)


class CorruptRequest(Exception):
    pass


class FailsOnEmpty(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.inner = visible.make_model(4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[0] == 0:
            raise CorruptRequest("empty request")
        return self.inner(x)


def test_mode_is_restored_when_the_forward_raises(ex):
    model = FailsOnEmpty().train()
    with pytest.raises(CorruptRequest):
        ex.predict(model, torch.zeros(0, 6))
    assert model.training and model.inner.training, (
        "a forward raised and the model was left in eval mode: restore the caller's mode in a `finally:`")
    assert not torch.is_inference_mode_enabled(), "inference mode is still on after predict() raised"


@pytest.mark.parametrize("grad_enabled", [True, False])
def test_grad_mode_and_inference_mode_are_left_alone(ex, grad_enabled):
    model = visible.make_model(5)
    with torch.set_grad_enabled(grad_enabled):
        out = ex.predict(model, randn(3, 6, seed=5))
        assert torch.is_grad_enabled() == grad_enabled, (
            f"the caller had grad mode {grad_enabled}; predict() left it {torch.is_grad_enabled()}")
    assert not torch.is_inference_mode_enabled(), "predict() left inference mode switched on"
    assert out.is_inference()


def test_nested_dropout_is_off_and_outputs_match(ex):
    for seed in range(3):
        torch.manual_seed(10 + seed)
        model = nn.Sequential(nn.Sequential(nn.Linear(6, 12), nn.Dropout(0.9)), nn.Linear(12, 2)).train()
        x = randn(4, 6, seed=30 + seed)
        expected = visible.eager_eval(model, x)
        torch.testing.assert_close(ex.predict(model, x), expected, atol=1e-6, rtol=1e-6)
        assert model.training and model[0][1].training
