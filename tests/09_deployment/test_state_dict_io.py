"""09_deployment/state_dict_io: state_dict round trips, `module.` prefixes, strict keys and weights_only loading."""

import os
import pickle

import pytest
import torch
from torch import nn

from helpers import assert_tensor_equal, randn


class Detector(nn.Module):
    def __init__(self, head_name: str = "head") -> None:
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU())
        setattr(self, head_name, nn.Linear(8, 2))
        self.head_name = head_name

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return getattr(self, self.head_name)(self.backbone(x))


def trained_detector(seed: int = 0) -> Detector:
    """Weights and BatchNorm statistics that differ from a fresh model's."""
    torch.manual_seed(seed)
    model = Detector()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p))
        model.backbone[1].running_mean.uniform_(-1.0, 1.0)
        model.backbone[1].running_var.uniform_(0.5, 2.0)
        model.backbone[1].num_batches_tracked.fill_(7)
    return model


def assert_same_state(loaded: nn.Module, source: nn.Module, device: torch.device) -> None:
    for name, tensor in source.state_dict().items():
        assert_tensor_equal(loaded.state_dict()[name], tensor.to(device), what=f"{name} after load_weights",
                            hint="every parameter and buffer (BatchNorm statistics too) must come back, on `device`")


class RunsCode:
    """Pickles to a call of os.makedirs: loading it with weights_only=False would create a directory."""

    def __init__(self, target: str) -> None:
        self.target = target

    def __reduce__(self):
        return os.makedirs, (self.target,)


def test_round_trip(ex, tmp_path, device):
    source, path = trained_detector(), tmp_path / "detector.pt"
    ex.save_weights(source, path)
    assert path.is_file(), f"save_weights wrote nothing at {path}"
    fresh = Detector()
    loaded = ex.load_weights(fresh, path, device)
    assert loaded is fresh, "load_weights should load into the model it is given and return that same model"
    assert_same_state(loaded, source, device)
    loaded.eval(), source.eval()
    x = randn(4, 6, seed=1)
    assert_tensor_equal(loaded(x.to(device)).detach().cpu(), source(x).detach(), what="outputs after the round trip")


def test_dataparallel_files_load_and_wrappers_save_without_prefix(ex, tmp_path):
    source = trained_detector(1)
    prefixed = tmp_path / "from_dataparallel.pt"
    torch.save(nn.DataParallel(source).state_dict(), prefixed)  # keys "module.backbone.0.weight", ...
    loaded = ex.load_weights(Detector(), prefixed)
    assert_same_state(loaded, source, torch.device("cpu"))

    clean = tmp_path / "clean.pt"
    ex.save_weights(nn.DataParallel(source), clean)
    keys = sorted(torch.load(clean, weights_only=True))
    assert keys == sorted(source.state_dict()), (
        f"save_weights(nn.DataParallel(model)) should write the plain model's keys {sorted(source.state_dict())}, "
        f"got {keys}; save the wrapped model's .module")


def test_mismatched_keys_raise_a_clear_error(ex, tmp_path):
    path = tmp_path / "detector.pt"
    ex.save_weights(trained_detector(2), path)
    renamed = Detector(head_name="classifier")
    with pytest.raises(ex.StateDictMismatchError) as caught:
        ex.load_weights(renamed, path)
    error = caught.value
    assert error.missing == ["classifier.bias", "classifier.weight"], (
        f"missing keys (the model has them, the file does not): expected ['classifier.bias', 'classifier.weight'], "
        f"got {error.missing}")
    assert error.unexpected == ["head.bias", "head.weight"], (
        f"unexpected keys (the file has them, the model does not): expected ['head.bias', 'head.weight'], "
        f"got {error.unexpected}")


def test_pickled_code_is_refused(ex, tmp_path):
    target = tmp_path / "created_by_the_file"
    path = tmp_path / "untrusted.pt"
    state = dict(trained_detector(3).state_dict())
    state["head.weight"] = RunsCode(str(target))
    torch.save(state, path)
    with pytest.raises(pickle.UnpicklingError):
        ex.load_weights(Detector(), path)
    assert not target.exists(), (
        "loading the file ran code from it (it created a directory): use torch.load(..., weights_only=True)")
