"""04_training/train_loop: the loss falls, gradients start clean every step, the loss is weighted by samples."""

import copy

import pytest
import torch
from torch import nn

from helpers import assert_tensor_close, randn


def make_data(samples: int = 64, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Two well separated 2-D blobs, labels 0 and 1 alternating."""
    labels = torch.arange(samples) % 2
    centres = torch.tensor([[-1.5, -1.5], [1.5, 1.5]])
    return centres[labels] + 0.5 * randn(samples, 2, seed=seed), labels


def make_loader(inputs: torch.Tensor, labels: torch.Tensor, batch_size: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    return [(inputs[i:i + batch_size], labels[i:i + batch_size]) for i in range(0, len(inputs), batch_size)]


def make_model(seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 2))


class SpySGD(torch.optim.SGD):
    """SGD that records a copy of every parameter's gradient at the moment step() runs."""

    def __init__(self, params, lr: float) -> None:
        super().__init__(params, lr=lr)
        self.grads_at_step: list[list[torch.Tensor | None]] = []

    def step(self, closure=None):
        self.grads_at_step.append([None if p.grad is None else p.grad.detach().clone()
                                   for group in self.param_groups for p in group["params"]])
        return super().step(closure)


def fresh_grads(model: nn.Module, inputs: torch.Tensor, labels: torch.Tensor) -> list[torch.Tensor]:
    """The gradient of this batch alone, computed on a copy of the model."""
    twin = copy.deepcopy(model)
    twin.zero_grad(set_to_none=True)
    nn.functional.cross_entropy(twin(inputs), labels).backward()
    return [p.grad for p in twin.parameters()]


def learn(ex, seed: int, epochs: int = 4) -> list[float]:
    inputs, labels = make_data(seed=seed)
    model = make_model(seed)
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    loader = make_loader(inputs, labels, batch_size=16)
    return [ex.train_one_epoch(model, loader, nn.CrossEntropyLoss(), opt) for _ in range(epochs)]


def test_loss_falls_on_a_separable_problem(ex):
    losses = learn(ex, seed=0)
    assert all(type(loss) is float for loss in losses), (
        f"expected a Python float per epoch, got {type(losses[0]).__name__}; "
        "return total / count built from loss.item()")
    assert losses[-1] < 0.5 * losses[0], (
        f"expected the epoch loss to at least halve over 4 epochs on two separated blobs, got {losses}; "
        "likely the optimizer never steps, or gradients are not computed from this batch's loss")


def test_gradients_are_zeroed_every_step(ex):
    inputs, labels = make_data(24, seed=1)
    model = make_model(1)
    opt = SpySGD(model.parameters(), lr=0.0)  # lr 0: the model stays put, so each batch's gradient is easy to predict
    loader = make_loader(inputs, labels, batch_size=8)
    ex.train_one_epoch(model, loader, nn.CrossEntropyLoss(), opt)
    assert len(opt.grads_at_step) == len(loader), (
        f"expected one optimizer step per batch ({len(loader)}), got {len(opt.grads_at_step)}")
    for step, (batch, seen) in enumerate(zip(loader, opt.grads_at_step)):
        expected = fresh_grads(model, *batch)
        for index, (got, want) in enumerate(zip(seen, expected)):
            assert got is not None, (
                f"parameter {index} had no gradient when step {step} ran: call loss.backward() first")
            assert_tensor_close(got, want, atol=1e-6, rtol=1e-5,
                                what=f"gradient of parameter {index} at step {step}",
                                hint="gradients accumulate across batches: call opt.zero_grad() before backward(), "
                                     "not between backward() and step()")


def test_uneven_last_batch_is_weighted_by_samples(ex):
    inputs, labels = make_data(10, seed=2)
    model = make_model(2)
    opt = SpySGD(model.parameters(), lr=0.0)
    loader = make_loader(inputs, labels, batch_size=4)  # batches of 4, 4 and 2
    with torch.no_grad():
        expected = nn.functional.cross_entropy(model(inputs), labels).item()
    result = ex.train_one_epoch(model, loader, nn.CrossEntropyLoss(), opt)
    assert type(result) is float, f"expected a Python float, got {type(result).__name__} (use loss.item())"
    assert result == pytest.approx(expected, abs=1e-6), (
        f"expected the mean over all 10 samples, {expected:.6f}, got {result:.6f}; averaging the three batch means "
        "gives the batch of 2 the weight of a batch of 4: weight each batch's loss by its size")


def test_model_is_trained_in_training_mode(ex):
    inputs, labels = make_data(8, seed=3)
    model = make_model(3)
    model.eval()  # as validation would leave it
    modes: list[bool] = []
    model.register_forward_hook(lambda module, args, out: modes.append(module.training))
    ex.train_one_epoch(model, make_loader(inputs, labels, 4), nn.CrossEntropyLoss(),
                       torch.optim.SGD(model.parameters(), lr=0.1))
    assert modes and all(modes), (
        f"expected every forward in training mode, got training flags {modes}; call model.train() at the start")
    assert model.training, "expected the model left in training mode after a training epoch"
