"""09_deployment/state_dict_io, hidden: keys that contain "module.", one-sided mismatches, buffers."""

import pytest
import torch
from torch import nn

from helpers import randn, visible_tests

visible = visible_tests(__file__)


class HasSubmodule(nn.Module):
    """Key names that contain "module." without starting with it."""

    def __init__(self) -> None:
        super().__init__()
        self.submodule = nn.Linear(3, 3)
        self.encoder = nn.ModuleDict({"attn_module": nn.Linear(3, 2)})

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder["attn_module"](self.submodule(x))


def seeded(seed: int) -> HasSubmodule:
    torch.manual_seed(seed)
    return HasSubmodule()


def test_module_inside_a_key_is_not_touched(ex, tmp_path):
    source, path = seeded(4), tmp_path / "plain.pt"
    ex.save_weights(source, path)
    loaded = ex.load_weights(seeded(5), path)
    visible.assert_same_state(loaded, source, torch.device("cpu"))


def test_prefixed_keys_that_contain_module_again(ex, tmp_path):
    source, path = seeded(6), tmp_path / "ddp.pt"
    torch.save({"module." + k: v for k, v in source.state_dict().items()}, path)
    loaded = ex.load_weights(seeded(7), path)
    visible.assert_same_state(loaded, source, torch.device("cpu"))
    x = randn(2, 3, seed=8)
    torch.testing.assert_close(loaded(x), source(x), atol=0, rtol=0)


def test_only_missing_keys(ex, tmp_path):
    path = tmp_path / "no_bias.pt"
    state = visible.trained_detector(9).state_dict()
    del state["head.bias"]
    torch.save(state, path)
    with pytest.raises(ex.StateDictMismatchError) as caught:
        ex.load_weights(visible.Detector(), path)
    assert (caught.value.missing, caught.value.unexpected) == (["head.bias"], []), (
        f"expected missing ['head.bias'] and no unexpected keys, got {caught.value.missing}, {caught.value.unexpected}")


def test_only_unexpected_keys(ex, tmp_path):
    path = tmp_path / "extra.pt"
    state = visible.trained_detector(10).state_dict()
    state["head.temperature"] = torch.tensor(2.0)
    torch.save(state, path)
    with pytest.raises(ex.StateDictMismatchError) as caught:
        ex.load_weights(visible.Detector(), path)
    assert (caught.value.missing, caught.value.unexpected) == ([], ["head.temperature"]), (
        f"expected no missing and unexpected ['head.temperature'], got {caught.value.missing}, "
        f"{caught.value.unexpected}; strict=False would have hidden this")


def test_batchnorm_buffers_survive(ex, tmp_path, device):
    source, path = visible.trained_detector(11), tmp_path / "bn.pt"
    ex.save_weights(source, path)
    loaded = ex.load_weights(visible.Detector(), path, device)
    bn = loaded.backbone[1]
    assert int(bn.num_batches_tracked) == 7, "num_batches_tracked was not restored"
    assert bn.running_mean.device.type == device.type, f"buffers should be on {device}, got {bn.running_mean.device}"


class HoldsAModule(nn.Module):
    """A plain model (no wrapper) whose first submodule happens to be called `module`."""

    def __init__(self) -> None:
        super().__init__()
        self.module = nn.Linear(3, 4)
        self.head = nn.Linear(4, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.module(x))


def holds_a_module(seed: int) -> HoldsAModule:
    torch.manual_seed(seed)
    return HoldsAModule()


def test_a_submodule_named_module_round_trips(ex, tmp_path):
    source, path = holds_a_module(12), tmp_path / "plain_with_module.pt"
    ex.save_weights(source, path)
    keys = sorted(torch.load(path, weights_only=True))
    assert keys == sorted(source.state_dict()), (
        f"a plain model with a submodule named `module` must be saved whole: expected keys "
        f"{sorted(source.state_dict())}, got {keys} (unwrap only nn.DataParallel / DistributedDataParallel, "
        "not anything with a .module attribute)")
    loaded = ex.load_weights(holds_a_module(13), path)
    visible.assert_same_state(loaded, source, torch.device("cpu"))


def test_a_wrapped_model_with_a_submodule_named_module(ex, tmp_path):
    source = holds_a_module(14)
    wrapped, clean = tmp_path / "wrapped.pt", tmp_path / "clean.pt"
    torch.save(nn.DataParallel(source).state_dict(), wrapped)  # "module.module.weight", "module.head.weight", ...
    loaded = ex.load_weights(holds_a_module(15), wrapped)
    visible.assert_same_state(loaded, source, torch.device("cpu"))
    ex.save_weights(nn.DataParallel(source), clean)
    assert sorted(torch.load(clean, weights_only=True)) == sorted(source.state_dict())


def test_the_device_may_be_a_torch_device(ex, tmp_path):
    source, path = visible.trained_detector(16), tmp_path / "d.pt"
    ex.save_weights(source, path)
    loaded = ex.load_weights(visible.Detector(), path, torch.device("cpu"))
    visible.assert_same_state(loaded, source, torch.device("cpu"))
