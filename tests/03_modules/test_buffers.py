"""03_modules/buffers: running statistics as buffers (saved, moved, never trained) plus a non-persistent cache."""

import math

import torch
from torch import nn

from helpers import assert_tensor_close, randn

STATS = ("mean", "var", "count")  # persistent
CACHE = "std"  # non-persistent


def make_batches(seed: int = 0, sizes=(5, 3, 8), features: int = 4) -> list[torch.Tensor]:
    """Batches of different sizes whose features have different offsets and scales."""
    offsets = torch.tensor([2.0, -1.0, 0.5, 10.0])[:features]
    scales = torch.tensor([1.0, 3.0, 0.5, 2.0])[:features]
    return [randn(size, features, seed=seed + i) * scales + offsets for i, size in enumerate(sizes)]


def buffers_of(module: nn.Module, names=STATS + (CACHE,)) -> dict[str, torch.Tensor]:
    registered = dict(module.named_buffers())
    missing = [name for name in names if name not in registered]
    assert not missing, (
        f"expected buffers {list(names)}, but {missing} are not registered (named_buffers() lists "
        f"{sorted(registered)}); likely cause: plain tensor attributes or nn.Parameter instead of "
        "self.register_buffer(name, tensor)")
    return {name: registered[name] for name in names}


def trained(ex, batches) -> nn.Module:
    module = ex.RunningMeanStd(batches[0].shape[1])
    module.train()
    for batch in batches:
        module(batch)
    return module


def test_statistics_are_buffers_not_parameters(ex):
    module = ex.RunningMeanStd(4, eps=1e-5)
    params = [name for name, _ in module.named_parameters()]
    assert params == [], (
        f"expected no parameters, got {params}; statistics are not trained: register them as buffers, "
        "or the optimizer will change them")
    found = buffers_of(module)
    for name, buffer in found.items():
        assert type(buffer) is torch.Tensor, (
            f"buffer {name}: expected a plain torch.Tensor, got {type(buffer).__name__}")
    assert_tensor_close(found["mean"], torch.zeros(4), atol=0, rtol=0, what="initial mean")
    assert_tensor_close(found["var"], torch.ones(4), atol=0, rtol=0, what="initial var")
    assert_tensor_close(found["count"], torch.tensor(0), atol=0, rtol=0, what="initial count",
                        hint="count is a 0-dim int64 tensor")
    assert_tensor_close(found["std"], torch.full((4,), math.sqrt(1 + 1e-5)), atol=1e-7, rtol=0, what="initial std")


def test_state_dict_holds_the_statistics_but_not_the_cache(ex):
    keys = sorted(ex.RunningMeanStd(3).state_dict())
    assert keys == sorted(STATS), (
        f"expected state_dict keys {sorted(STATS)}, got {keys}; likely cause: "
        + ("the cache std must be registered with persistent=False" if CACHE in keys
           else "statistics stored as plain attributes instead of buffers"))


def test_running_statistics_cover_every_sample(ex):
    batches = make_batches(seed=1)
    module = trained(ex, batches)
    everything = torch.cat(batches)
    found = buffers_of(module)
    assert_tensor_close(found["count"], torch.tensor(len(everything)), atol=0, rtol=0, what="count")
    assert_tensor_close(found["mean"], everything.mean(dim=0), atol=1e-5, rtol=1e-5, what="running mean",
                        hint="merge each batch weighted by its size, not just the last batch")
    assert_tensor_close(found["var"], everything.var(dim=0, unbiased=False), atol=1e-4, rtol=1e-4,
                        what="running var",
                        hint="the population variance of every sample seen: merge with Chan's parallel formula")
    assert_tensor_close(found["std"], torch.sqrt(found["var"] + 1e-5), atol=1e-6, rtol=1e-6, what="cached std")


def test_eval_mode_freezes_the_statistics(ex):
    module = trained(ex, make_batches(seed=2))
    before = {name: tensor.clone() for name, tensor in buffers_of(module).items()}
    module.eval()
    x = randn(6, 4, seed=3) * 5
    out = module(x)
    for name, tensor in buffers_of(module).items():
        assert_tensor_close(tensor, before[name], atol=0, rtol=0, what=f"{name} after an eval-mode forward",
                            hint="update the statistics only when self.training is True")
    expected = (x - before["mean"]) / torch.sqrt(before["var"] + 1e-5)
    assert_tensor_close(out, expected, atol=1e-5, rtol=1e-5, what="eval-mode output")


def test_training_output_is_normalised(ex):
    module = ex.RunningMeanStd(4)
    x = make_batches(seed=4, sizes=(32,))[0]
    out = module.train()(x)
    assert_tensor_close(out.mean(dim=0), torch.zeros(4), atol=1e-5, rtol=0, what="per-feature mean of the output",
                        hint="in training mode update first, then normalise with the updated statistics")
    assert_tensor_close(out.var(dim=0, unbiased=False), torch.ones(4), atol=1e-3, rtol=0,
                        what="per-feature variance of the output")


def test_to_device_moves_every_buffer(ex, device):
    module = trained(ex, make_batches(seed=5)).to(device)
    for name, tensor in buffers_of(module).items():
        assert tensor.device.type == device.type, f"buffer {name} stayed on {tensor.device} after .to({device})"
    x = randn(3, 4, seed=6, device=device)
    assert module.eval()(x).device.type == device.type, "the output should be on the module's device"


def test_to_float64_converts_float_buffers(ex):
    module = trained(ex, make_batches(seed=7)).to(torch.float64)
    found = buffers_of(module)
    for name in ("mean", "var", "std"):
        assert found[name].dtype == torch.float64, (
            f"after .to(torch.float64) expected {name} to be float64, got {found[name].dtype}; "
            "only registered buffers are converted by Module.to()")
    assert found["count"].dtype == torch.int64, "Module.to(dtype) leaves integer buffers such as count as int64"


def test_state_dict_round_trip_normalises_identically(ex):
    original = trained(ex, make_batches(seed=8))
    restored = ex.RunningMeanStd(4)
    restored.load_state_dict(original.state_dict())
    original.eval()
    restored.eval()
    x = randn(5, 4, seed=9) * 3
    assert_tensor_close(restored(x), original(x), atol=1e-6, rtol=1e-6, what="output of the restored module",
                        hint="std is not in the state_dict: recompute it from var instead of trusting the cache")
