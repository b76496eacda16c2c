"""04_training/train_loop, hidden: other seeds, a real DataLoader, stale gradients, the textbook trajectory."""

import copy
import weakref

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from helpers import assert_tensor_close, visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("seed", [5, 17, 42])
def test_loss_falls_for_other_seeds(ex, seed):
    losses = visible.learn(ex, seed=seed)
    assert losses[-1] < 0.5 * losses[0], f"seed {seed}: expected the loss to at least halve, got {losses}"


def reference_epoch(model: nn.Module, loader, lr: float) -> float:
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    total, count = 0.0, 0
    model.train()
    for inputs, labels in loader:
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(inputs), labels)
        loss.backward()
        opt.step()
        total += loss.item() * len(inputs)
        count += len(inputs)
    return total / count


def test_matches_the_textbook_loop_on_a_dataloader(ex):
    inputs, labels = visible.make_data(22, seed=6)
    loader = DataLoader(TensorDataset(inputs, labels), batch_size=5)  # 5, 5, 5, 5, 2
    model = visible.make_model(6)
    twin = copy.deepcopy(model)
    expected_loss = reference_epoch(twin, loader, lr=0.3)
    loss = ex.train_one_epoch(model, loader, nn.CrossEntropyLoss(),
                              torch.optim.SGD(model.parameters(), lr=0.3, momentum=0.9))
    assert type(loss) is float, f"expected a Python float, got {type(loss).__name__}"
    assert loss == pytest.approx(expected_loss, abs=1e-5), (
        f"expected the sample-weighted loss {expected_loss:.6f} (each batch's loss before its step), got {loss:.6f}")
    for (name, got), want in zip(model.named_parameters(), twin.parameters()):
        assert_tensor_close(got, want, atol=1e-6, rtol=1e-5, what=f"parameter {name} after one epoch",
                            hint="one zero_grad/forward/backward/step per batch, in that order")


def test_stale_gradients_from_before_the_epoch_are_not_used(ex):
    inputs, labels = visible.make_data(8, seed=7)
    model = visible.make_model(7)
    for p in model.parameters():
        p.grad = torch.full_like(p, 100.0)  # left over from, say, a gradient probe
    opt = visible.SpySGD(model.parameters(), lr=0.0)
    loader = visible.make_loader(inputs, labels, batch_size=8)
    ex.train_one_epoch(model, loader, nn.CrossEntropyLoss(), opt)
    expected = visible.fresh_grads(model, inputs, labels)
    for index, (got, want) in enumerate(zip(opt.grads_at_step[0], expected)):
        assert_tensor_close(got, want, atol=1e-6, rtol=1e-5, what=f"gradient of parameter {index} at the first step",
                            hint="gradients left in .grad before the epoch leaked into the first step: zero them "
                                 "before each backward(), not only after each step()")


def test_no_graph_survives_the_epoch(ex):
    inputs, labels = visible.make_data(12, seed=8)
    model = visible.make_model(8)
    result = ex.train_one_epoch(model, visible.make_loader(inputs, labels, 4), nn.CrossEntropyLoss(),
                                torch.optim.SGD(model.parameters(), lr=0.1))
    assert not isinstance(result, torch.Tensor), (
        "expected a Python float; a tensor summed from batch losses keeps every batch's autograd graph alive "
        "(memory grows each step): accumulate loss.item()")
    assert type(result) is float, f"expected a Python float, got {type(result).__name__}"


def test_a_single_full_batch_reports_its_loss(ex):
    inputs, labels = visible.make_data(6, seed=9)
    model = visible.make_model(9)
    with torch.no_grad():
        expected = nn.functional.cross_entropy(model(inputs), labels).item()
    result = ex.train_one_epoch(model, [(inputs, labels)], nn.CrossEntropyLoss(),
                                torch.optim.SGD(model.parameters(), lr=0.1))
    assert result == pytest.approx(expected, abs=1e-6), (
        f"expected the batch's loss before the step, {expected:.6f}, got {result}")


def test_no_batch_graph_outlives_its_batch(ex):
    """Each loss carries a sentinel leaf into its graph; a graph still referenced later keeps its sentinel alive."""
    inputs, labels = visible.make_data(16, seed=10)
    model = visible.make_model(10)
    sentinels: list[weakref.ref] = []
    kept: list[int] = []

    def loss_fn(outputs, targets):
        # when batch k's loss is computed, the graphs of batches 0..k-2 must be gone (k-1's loss variable may
        # still be bound until it is reassigned)
        kept.append(sum(ref() is not None for ref in sentinels[:-1]))
        sentinel = torch.zeros((), requires_grad=True)
        sentinels.append(weakref.ref(sentinel))
        return nn.functional.cross_entropy(outputs, targets) + 0 * sentinel

    ex.train_one_epoch(model, visible.make_loader(inputs, labels, 4), loss_fn,
                       torch.optim.SGD(model.parameters(), lr=0.1))
    assert len(kept) == 4, f"expected loss_fn called once per batch (4), got {len(kept)} calls"
    assert max(kept) == 0, (
        f"graphs of earlier batches were still alive while later batches ran (count of live earlier graphs at each "
        f"batch: {kept}); likely cause: the loss tensors themselves were summed or stored: accumulate loss.item()")
