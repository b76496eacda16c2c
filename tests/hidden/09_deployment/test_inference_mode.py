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


def submodule_modes(model: nn.Module) -> dict[str, bool]:
    return {name or "<model>": module.training for name, module in model.named_modules()}


@pytest.mark.parametrize("caller_mode", ["train", "eval"])
def test_submodules_in_mixed_modes_keep_their_own(ex, caller_mode):
    model = visible.make_model(6).train(caller_mode == "train")
    odd_one = model[1] if caller_mode == "train" else model[3]  # a frozen BatchNorm, or a Dropout kept on (MC dropout)
    odd_one.train(caller_mode != "train")
    before = submodule_modes(model)
    x = randn(4, 6, seed=6)
    expected = visible.eager_eval(model, x)
    seen = []
    for name, module in model.named_children():
        module.register_forward_hook(lambda m, args, out, name=name: seen.append((name, m.training)))
    out = ex.predict(model, x)
    assert [training for _, training in seen] == [False] * len(model), (
        f"expected every submodule to run in eval mode, saw (name, training) = {seen}")
    torch.testing.assert_close(out, expected, atol=1e-6, rtol=1e-6)
    after = submodule_modes(model)
    assert after == before, (
        f"the caller's per-submodule modes were {before}, predict() left {after} "
        "(remember every module's .training, not just the top-level one: model.train(flag) sets them all alike)")
