"""09_deployment/torchscript_legacy, hidden: data-dependent loops, other RefineNet sizes, an eval-mode caller."""

import pytest
import torch
from torch import nn

from helpers import assert_tensor_close, randn, visible_tests

visible = visible_tests(__file__)
pytestmark = pytest.mark.filterwarnings(r"ignore:`torch\.jit\.\w+` is deprecated:FutureWarning")


@visible.scriptable("kata_torchscript_hidden_models")
class Halver(nn.Module):
    """Halves the activations until they fit in [-1, 1]: the number of steps depends on the data."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(3, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.fc(x)
        steps = 0
        while bool(h.abs().amax() > 1.0) and steps < 20:
            h = h / 2
            steps += 1
        return h


def test_a_data_dependent_loop_survives(ex, tmp_path):
    torch.manual_seed(6)
    model = Halver()
    loaded = visible.scripted_round_trip(ex, model, randn(2, 3, seed=6) * 0.01, tmp_path)
    for scale in (0.01, 10.0, 1000.0):
        x = randn(4, 3, seed=7) * scale
        assert_tensor_close(loaded(x), visible.eager_eval(model, x), atol=1e-6, rtol=1e-5,
                            what=f"loaded Halver output on inputs of scale {scale}",
                            hint="a trace records the loop's iteration count for the example only")


@pytest.mark.parametrize("steps", [5, 1])
def test_refine_net_of_another_size(ex, tmp_path, steps):
    torch.manual_seed(8)
    model = ex.RefineNet(features=5, steps=steps, saturation=2.0)
    reference = visible.stub_twin(model, features=5, steps=steps, saturation=2.0)
    dim, bright = randn(2, 5, seed=8) * 0.05, randn(6, 5, seed=9) * 30
    assert not visible.rescales(reference, dim) and visible.rescales(reference, bright), "test setup: both branches"
    loaded = visible.scripted_round_trip(ex, model, bright, tmp_path)  # this time the example is the bright one
    for x in (dim, bright):
        assert_tensor_close(loaded(x), visible.eager_eval(reference, x), atol=1e-5, rtol=1e-5,
                            what=f"RefineNet(features=5, steps={steps}) after save/load",
                            hint="the rewritten loop must run every one of the `steps` refiners, as the stub's did")


def test_refine_net_eager_behaviour_is_unchanged(ex):
    torch.manual_seed(10)
    model = ex.RefineNet(features=4, steps=2, saturation=1.5).eval()
    x = randn(3, 4, seed=10) * 20
    expected = visible.eager_eval(visible.stub_twin(model, features=4, steps=2, saturation=1.5), x)
    with torch.no_grad():
        eager = model(x)
    scripted = ex.to_torchscript(model, x)(x)
    for what, out in [("RefineNet's eager output", eager), ("the scripted RefineNet's output", scripted)]:
        assert_tensor_close(out, expected, atol=1e-5, rtol=1e-5, what=what,
                            hint="the rewritten loop must compute what the original did")


def test_submodules_in_mixed_modes_keep_their_own(ex):
    torch.manual_seed(13)
    model = visible.Gate().train()
    model.drop.eval()  # the caller froze this one
    before = {name: m.training for name, m in model.named_modules()}
    scripted = ex.to_torchscript(model, randn(2, 4, seed=13))
    after = {name: m.training for name, m in model.named_modules()}
    assert after == before, (
        f"the caller's per-submodule modes were {before}, to_torchscript left {after} "
        "(remember every module's .training: model.train(flag) sets them all alike)")
    x = randn(3, 4, seed=14)
    assert_tensor_close(scripted(x), visible.eager_eval(model, x), atol=1e-5, rtol=1e-5, what="scripted Gate")


def test_eval_mode_caller_stays_in_eval(ex):
    torch.manual_seed(11)
    model = visible.Gate().eval()
    scripted = ex.to_torchscript(model, randn(2, 4, seed=11))
    assert not model.training, "the caller's model was in eval mode and came back in train mode"
    x = randn(3, 4, seed=12)
    assert_tensor_close(scripted(x), visible.eager_eval(model, x), atol=1e-5, rtol=1e-5, what="scripted Gate")
