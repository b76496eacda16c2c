"""03_modules/buffers, hidden: autograd, streaming, empty batches, large offsets, float64 updates, optimizers."""

import pytest
import torch

from helpers import assert_shape, assert_tensor_close, assert_tensor_equal, randn, visible_tests

visible = visible_tests(__file__)


def test_statistics_record_no_autograd_history(ex):
    module = ex.RunningMeanStd(3).train()
    for step in range(2):
        x = randn(4, 3, seed=10 + step).requires_grad_()
        out = module(x)
        for name, tensor in visible.buffers_of(module).items():
            assert not tensor.requires_grad and tensor.grad_fn is None, (
                f"buffer {name} carries autograd history (grad_fn={type(tensor.grad_fn).__name__}); update the "
                "statistics under torch.no_grad() or from x.detach()")
        out.sum().backward()  # a second step would fail if the buffers chained the graphs together
        assert_tensor_close(x.grad, (1 / module.std).expand(4, 3), atol=1e-5, rtol=1e-5,
                            what="input gradient", hint="the statistics are constants for the backward pass")


def test_streaming_one_sample_at_a_time(ex):
    samples = visible.make_batches(seed=11, sizes=(12,))[0]
    module = ex.RunningMeanStd(4).train()
    for row in samples:
        module(row.unsqueeze(0))
    found = visible.buffers_of(module)
    assert_tensor_close(found["mean"], samples.mean(dim=0), atol=1e-5, rtol=1e-5, what="mean after 12 single samples")
    assert_tensor_close(found["var"], samples.var(dim=0, unbiased=False), atol=1e-4, rtol=1e-4,
                        what="var after 12 single samples", hint="a single sample has batch variance 0, not NaN")
    assert found["count"].item() == 12, f"expected count 12, got {found['count'].item()}"


def test_empty_batch_changes_nothing(ex):
    module = visible.trained(ex, visible.make_batches(seed=12))
    before = {name: t.clone() for name, t in visible.buffers_of(module).items()}
    module.update(torch.empty(0, 4))
    for name, tensor in visible.buffers_of(module).items():
        assert_tensor_close(tensor, before[name], atol=0, rtol=0, what=f"{name} after an empty batch",
                            hint="an empty batch has no mean (NaN): skip it")


def test_update_called_directly(ex):
    batches = visible.make_batches(seed=13)
    module = ex.RunningMeanStd(4)
    for batch in batches:
        module.update(batch)
    everything = torch.cat(batches)
    assert_tensor_close(module.mean, everything.mean(dim=0), atol=1e-5, rtol=1e-5, what="mean after update() calls")
    assert_tensor_close(module.std, torch.sqrt(everything.var(dim=0, unbiased=False) + 1e-5), atol=1e-4, rtol=1e-4,
                        what="std after update() calls", hint="update() refreshes the std cache")


def test_stable_for_data_far_from_zero(ex):
    batches = [randn(16, 2, seed=14 + i) + 1000.0 for i in range(4)]
    module = visible.trained(ex, batches)
    everything = torch.cat(batches).double()
    assert_tensor_close(module.var, everything.var(dim=0, unbiased=False).float(), atol=0, rtol=1e-2,
                        what="var of data around 1000",
                        hint="E[x^2] - E[x]^2 cancels catastrophically in float32; merge means and M2 sums instead")


def test_float64_module_updates_in_float64(ex):
    batches = [b.double() for b in visible.make_batches(seed=15)]
    module = ex.RunningMeanStd(4).to(torch.float64).train()
    for batch in batches:
        module(batch)
    everything = torch.cat(batches)
    found = visible.buffers_of(module)
    assert found["mean"].dtype == torch.float64 and found["std"].dtype == torch.float64, (
        "updates changed the buffers' dtype back; update them in place or keep their dtype")
    assert_tensor_close(found["var"], everything.var(dim=0, unbiased=False), atol=1e-10, rtol=1e-10,
                        what="float64 running var")
    assert found["count"].dtype == torch.int64 and found["count"].item() == 16, "count must stay an int64 total"


def test_state_dict_round_trip_before_any_forward(ex):
    original = visible.trained(ex, visible.make_batches(seed=16))
    restored = ex.RunningMeanStd(4)
    restored.load_state_dict(original.state_dict())
    restored.train()
    x = randn(6, 4, seed=17)
    reference = visible.trained(ex, visible.make_batches(seed=16))
    assert_tensor_close(restored(x), reference(x), atol=1e-5, rtol=1e-5,
                        what="training-mode output of a restored module",
                        hint="the restored count must weigh the old statistics against the new batch")


@pytest.mark.parametrize("features", [1, 7])
def test_other_feature_counts(ex, features):
    batches = [randn(n, features, seed=18 + n) * 2 - 1 for n in (3, 9)]
    module = visible.trained(ex, batches)
    everything = torch.cat(batches)
    assert_tensor_close(module.mean, everything.mean(dim=0), atol=1e-5, rtol=1e-5, what=f"mean for {features} features")
    assert_tensor_close(module.var, everything.var(dim=0, unbiased=False), atol=1e-4, rtol=1e-4,
                        what=f"var for {features} features")


def test_an_optimizer_cannot_touch_the_statistics(ex):
    model = torch.nn.Sequential(ex.RunningMeanStd(4), torch.nn.Linear(4, 1))
    names = [name for name, _ in model.named_parameters()]
    assert names == ["1.weight", "1.bias"], f"only the Linear's parameters should be trainable, got {names}"
    visible.buffers_of(model[0])  # the statistics exist, as buffers
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    x = visible.make_batches(seed=19, sizes=(8,))[0]
    normalised = model.train()[0](x)
    assert_shape(normalised, (8, 4), "RunningMeanStd(4) output for 8 samples",
                 hint="forward() returns (x - mean) / sqrt(var + eps), shaped like x")
    model[1](normalised).sum().backward()
    updated = {name: t.clone() for name, t in visible.buffers_of(model[0]).items()}
    assert_tensor_close(updated["mean"], x.mean(dim=0), atol=1e-5, rtol=1e-5,
                        what="running mean after one training forward of 8 samples",
                        hint="forward() in training mode must update() the statistics first")
    optimizer.step()
    for name, tensor in visible.buffers_of(model[0]).items():
        assert_tensor_equal(tensor, updated[name], what=f"{name} after optimizer.step()",
                            hint="the statistics must be buffers, outside model.parameters(), so no optimizer "
                                 "step can change them")
