"""02_autograd/grad_accumulation, hidden: uneven micro-batches, single micro-batch, other losses and optimizers."""

import copy

import pytest
import torch
from torch import nn

from helpers import randn, visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("sizes", [[5, 5, 2], [7, 1], [1, 1, 1, 1, 1, 1]])
def test_uneven_micro_batches_weight_by_samples(ex, sizes):
    model = visible.make_model(seed=3)
    reference = copy.deepcopy(model)
    batches, loss_fn = visible.make_batches(sizes, seed=4), nn.CrossEntropyLoss()
    loss = ex.accumulated_step(model, torch.optim.SGD(model.parameters(), lr=0.5), batches, loss_fn)
    reference_optimizer = torch.optim.SGD(reference.parameters(), lr=0.5)
    expected_loss = visible.full_batch_step(reference, reference_optimizer, batches, loss_fn)
    visible.assert_same_parameters(
        model, reference, f"after micro-batches of sizes {sizes}",
        hint="with unequal micro-batches, 1/k over-weights the short ones: scale each micro-batch's mean loss by "
             "its number of samples over the batch's total")
    assert loss == pytest.approx(expected_loss, abs=1e-6), (
        f"micro-batches {sizes}: expected the batch's sample-weighted mean loss {expected_loss:.6f}, got {loss:.6f}")


def test_a_single_micro_batch_is_an_ordinary_step(ex):
    model = visible.make_model(seed=5)
    reference = copy.deepcopy(model)
    batches, loss_fn = visible.make_batches([6], seed=6), nn.CrossEntropyLoss()
    ex.accumulated_step(model, torch.optim.SGD(model.parameters(), lr=0.3), batches, loss_fn)
    visible.full_batch_step(reference, torch.optim.SGD(reference.parameters(), lr=0.3), batches, loss_fn)
    visible.assert_same_parameters(model, reference, "after a step with one micro-batch", hint=visible.NOT_SCALED)


def test_regression_with_adamw(ex):
    torch.manual_seed(7)
    model = nn.Sequential(nn.Linear(3, 6), nn.ReLU(), nn.Linear(6, 2))
    reference = copy.deepcopy(model)
    inputs, targets = randn(9, 3, seed=7), randn(9, 2, seed=8)
    batches = [(inputs[:4], targets[:4]), (inputs[4:8], targets[4:8]), (inputs[8:], targets[8:])]
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.1)
    reference_optimizer = torch.optim.AdamW(reference.parameters(), lr=0.01, weight_decay=0.1)
    for _ in range(2):
        ex.accumulated_step(model, optimizer, batches, nn.MSELoss())
        visible.full_batch_step(reference, reference_optimizer, batches, nn.MSELoss())
    visible.assert_same_parameters(model, reference, "after two AdamW steps on micro-batches of 4, 4 and 1",
                                   hint="weight each micro-batch by its share of the samples", tol=1e-5)


def test_backward_count_and_order_with_uneven_batches(ex):
    model = visible.make_model(seed=9)
    events: list[str] = []
    model.register_forward_pre_hook(lambda module, args: events.append("F"))
    model[2].bias.register_hook(lambda grad: events.append("B"))
    ex.accumulated_step(model, torch.optim.SGD(model.parameters(), lr=0.1), visible.make_batches([4, 3, 2, 1]),
                        nn.CrossEntropyLoss())
    assert events == ["F", "B"] * 4, (
        f"expected forward, backward alternating once per micro-batch, got {events}: run backward() on each "
        "micro-batch's loss right after its forward")
