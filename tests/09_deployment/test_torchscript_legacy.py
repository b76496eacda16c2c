"""09_deployment/torchscript_legacy: a scripted (not traced) module that keeps its branches through save/load."""

import copy

import pytest
import torch
from torch import nn

from helpers import assert_tensor_close, randn

# TorchScript is deprecated: torch.jit.script/trace/save/load each emit this FutureWarning. Hide only that one.
pytestmark = pytest.mark.filterwarnings(r"ignore:`torch\.jit\.\w+` is deprecated:FutureWarning")


def scriptable(home: str):
    """Class decorator: TorchScript names a class after its module when it saves it, and this file's module
    name ("tests.09_deployment....") is not a valid TorchScript name; rename the home module (the source is
    still read from this file, through the methods' code objects)."""
    def rehome(cls: type) -> type:
        cls.__module__ = home
        return cls
    return rehome


@scriptable("kata_torchscript_visible_models")
class Gate(nn.Module):
    """Dropout, then a branch on the data: negative-mean batches are flipped."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.drop = nn.Dropout(0.5)
        self.out = nn.Linear(4, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.drop(self.fc(x))
        if h.mean() < 0:
            h = -h
        return self.out(h)


class StubRefineNet(nn.Module):
    """RefineNet exactly as the stub gives it (eager only): the computation a rewrite must keep."""

    def __init__(self, features: int = 8, steps: int = 3, saturation: float = 4.0) -> None:
        super().__init__()
        self.stem = nn.Linear(features, features)
        self.refiners = nn.ModuleList([nn.Linear(features, features) for _ in range(steps)])
        self.head = nn.Linear(features, 2)
        self.saturation = saturation

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.stem(x))
        for i in range(len(self.refiners)):
            h = h + torch.tanh(self.refiners[i](h))
        peak = h.abs().amax()
        if peak > self.saturation:
            h = h * (self.saturation / peak)
        return self.head(h)


def stub_twin(model: nn.Module, features: int = 8, steps: int = 3, saturation: float = 4.0) -> StubRefineNet:
    """The stub's RefineNet with the submission's weights, loaded by their names (strictly)."""
    twin = StubRefineNet(features, steps, saturation)
    try:
        twin.load_state_dict(model.state_dict())
    except RuntimeError as err:
        raise AssertionError(
            f"RefineNet({features}, {steps}, {saturation})'s weights no longer load into the stub's layout "
            f"(stem, refiners.<i>, head): {str(err).splitlines()[0]}\n  likely cause: a renamed attribute or a "
            "changed number of refinement steps; saved weights depend on those names") from None
    return twin.eval()


def eager_eval(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    twin = copy.deepcopy(model).eval()
    with torch.no_grad():
        return twin(x)


def rescales(model: nn.Module, x: torch.Tensor) -> bool:
    """Whether RefineNet's saturation branch fires on x (computed from the stub's fixed attribute names)."""
    with torch.no_grad():
        h = torch.relu(model.stem(x))
        for refiner in model.refiners:
            h = h + torch.tanh(refiner(h))
        return bool(h.abs().amax() > model.saturation)


def scripted_round_trip(ex, model: nn.Module, example: torch.Tensor, tmp_path):
    scripted = ex.to_torchscript(model, example)
    assert isinstance(scripted, torch.jit.ScriptModule), (
        f"to_torchscript should return a torch.jit.ScriptModule, got {type(scripted).__name__}")
    path = tmp_path / "model.pt"
    ex.save_torchscript(scripted, path)
    assert path.is_file(), f"save_torchscript wrote nothing at {path}"
    loaded = ex.load_torchscript(path)
    assert isinstance(loaded, torch.jit.ScriptModule), f"load_torchscript returned {type(loaded).__name__}"
    return loaded


def test_refine_net_keeps_both_branches_through_save_and_load(ex, tmp_path):
    torch.manual_seed(0)
    model = ex.RefineNet()
    dim_scan = randn(3, 8, seed=1) * 0.1     # the example: no rescale
    bright_scan = randn(3, 8, seed=2) * 50   # saturates: takes the rescale branch
    assert not rescales(model, dim_scan) and rescales(model, bright_scan), (
        "RefineNet no longer computes what the stub's version did (stem, refiners, saturation): keep its behaviour")
    loaded = scripted_round_trip(ex, model, dim_scan, tmp_path)
    for what, x in [("the example's branch", dim_scan), ("the other branch (a saturated scan)", bright_scan)]:
        assert_tensor_close(loaded(x), eager_eval(stub_twin(model), x), atol=1e-5, rtol=1e-5,
                            what=f"loaded TorchScript output on {what}",
                            hint="torch.jit.trace froze the `if` on the example's branch: use torch.jit.script")


def test_module_is_in_eval_mode_and_the_caller_keeps_its_mode(ex, tmp_path):
    torch.manual_seed(3)
    model = Gate().train()
    loaded = scripted_round_trip(ex, model, randn(5, 4, seed=3), tmp_path)
    assert model.training, "the caller's model was in train mode and came back in eval mode: restore its mode"
    for seed in (4, 5):
        x = randn(5, 4, seed=seed) + (3.0 if seed == 4 else -3.0)
        first, second = loaded(x), loaded(x)
        assert torch.equal(first, second), "two calls on the same input differ: Dropout is active (script in eval mode)"
        assert_tensor_close(first, eager_eval(model, x), atol=1e-5, rtol=1e-5, what="loaded Gate output",
                            hint="script the model in eval mode, and keep the data-dependent `if`")
