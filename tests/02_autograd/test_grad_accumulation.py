"""02_autograd/grad_accumulation: k micro-batches, one step, the same parameters as one step on the whole batch."""

import copy

import pytest
import torch
from torch import nn

from helpers import assert_tensor_close, randn

NOT_SCALED = ("each micro-batch loss is a mean over its own samples: scale it by its share of the batch "
              "(1/k for k equal micro-batches) before backward(), or the accumulated gradient is k times too large")
ZEROED_INSIDE = "zeroing the gradients inside the loop keeps only the last micro-batch's gradient: zero once, before it"


def make_model(seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 3))


def make_batches(sizes: list[int], seed: int = 1) -> list[tuple[torch.Tensor, torch.Tensor]]:
    inputs = randn(sum(sizes), 5, seed=seed)
    targets = torch.arange(sum(sizes)) % 3
    batches, start = [], 0
    for size in sizes:
        batches.append((inputs[start:start + size], targets[start:start + size]))
        start += size
    return batches


def full_batch_step(model: nn.Module, optimizer: torch.optim.Optimizer, batches, loss_fn) -> float:
    """The reference: one ordinary step on the concatenated batch."""
    inputs = torch.cat([x for x, _ in batches])
    targets = torch.cat([y for _, y in batches])
    optimizer.zero_grad()
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    optimizer.step()
    return loss.item()


def assert_same_parameters(model: nn.Module, reference: nn.Module, what: str, hint: str, tol: float = 1e-6) -> None:
    for (name, param), expected in zip(model.named_parameters(), reference.parameters()):
        assert_tensor_close(param, expected, atol=tol, rtol=tol, what=f"{name} {what}", hint=hint)


def test_matches_one_step_on_the_concatenated_batch(ex):
    model = make_model()
    reference = copy.deepcopy(model)
    batches, loss_fn = make_batches([4, 4, 4, 4]), nn.CrossEntropyLoss()
    loss = ex.accumulated_step(model, torch.optim.SGD(model.parameters(), lr=0.5), batches, loss_fn)
    expected_loss = full_batch_step(reference, torch.optim.SGD(reference.parameters(), lr=0.5), batches, loss_fn)
    assert_same_parameters(model, reference, "after one accumulated step over 4 micro-batches",
                           hint=f"{NOT_SCALED}; or: {ZEROED_INSIDE}")
    assert isinstance(loss, float), f"expected the batch loss as a Python float, got {type(loss).__name__}"
    assert loss == pytest.approx(expected_loss, abs=1e-6), (
        f"expected the whole batch's mean loss {expected_loss:.6f}, got {loss:.6f}")


def test_each_micro_batch_is_backpropagated_before_the_next_forward(ex):
    model = make_model()
    events: list[str] = []
    model.register_forward_pre_hook(lambda module, args: events.append("forward"))
    model[0].weight.register_hook(lambda grad: events.append("backward"))
    ex.accumulated_step(model, torch.optim.SGD(model.parameters(), lr=0.1), make_batches([3, 3, 3]),
                        nn.CrossEntropyLoss())
    expected = ["forward", "backward"] * 3
    assert events == expected, (
        f"expected {expected}, got {events}: summing the micro-batch losses and calling backward() once at the end "
        "keeps every micro-batch's activations alive at the same time, which is the memory accumulation must save")


def test_gradients_left_from_before_are_ignored(ex):
    model = make_model()
    reference = copy.deepcopy(model)
    for param in model.parameters():
        param.grad = torch.full_like(param, 10.0)  # left over from an earlier, unrelated backward
    batches, loss_fn = make_batches([4, 4]), nn.CrossEntropyLoss()
    ex.accumulated_step(model, torch.optim.SGD(model.parameters(), lr=0.5), batches, loss_fn)
    full_batch_step(reference, torch.optim.SGD(reference.parameters(), lr=0.5), batches, loss_fn)
    assert_same_parameters(model, reference, "when .grad held stale values before the call",
                           hint="zero the gradients once at the start, before the first micro-batch")


def test_consecutive_calls_match_consecutive_full_steps(ex):
    model = make_model(seed=2)
    reference = copy.deepcopy(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.9)
    reference_optimizer = torch.optim.SGD(reference.parameters(), lr=0.2, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    for step in range(3):
        batches = make_batches([2, 2, 2, 2], seed=10 + step)
        ex.accumulated_step(model, optimizer, batches, loss_fn)
        full_batch_step(reference, reference_optimizer, batches, loss_fn)
        assert_same_parameters(model, reference, f"after call {step + 1} (SGD with momentum)",
                               hint="gradients from the previous call leaked into this one: zero at the start; "
                                    f"or: {NOT_SCALED}", tol=1e-5)
