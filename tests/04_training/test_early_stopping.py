"""04_training/early_stopping: the stop epoch on scripted losses, and the best weights restored bit for bit."""

import torch
from torch import nn

from helpers import assert_tensor_equal, randn


def make_model(seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))


def decisions(ex, losses: list[float], **settings) -> list[bool]:
    stopper, model = ex.EarlyStopping(**settings), make_model()
    return [stopper(loss, model) for loss in losses]


def train_a_little(model: nn.Module, opt: torch.optim.Optimizer, seed: int) -> None:
    """One in-place optimizer step, as an epoch of training would do."""
    opt.zero_grad()
    model(randn(8, 3, seed=seed)).pow(2).mean().backward()
    opt.step()


def snapshot(model: nn.Module) -> dict[str, torch.Tensor]:
    return {name: tensor.detach().clone() for name, tensor in model.state_dict().items()}


def run_with_training(ex, model: nn.Module, val_losses: list[float], **settings):
    """Trains between epochs; returns (decisions, snapshot at the best epoch, snapshot at the last epoch seen)."""
    stopper = ex.EarlyStopping(**settings)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    best_index = min(range(len(val_losses)), key=val_losses.__getitem__)
    seen, best, last = [], None, None
    for epoch, loss in enumerate(val_losses):
        train_a_little(model, opt, seed=epoch)
        last = snapshot(model)
        if epoch == best_index:
            best = last
        seen.append(stopper(loss, model))
        if seen[-1]:
            break
    return seen, best, last, stopper


def test_stops_after_patience_epochs_without_improvement(ex):
    got = decisions(ex, [1.0, 0.8, 0.85, 0.9], patience=2)
    assert all(type(d) is bool for d in got), f"expected a bool from every call, got {[type(d).__name__ for d in got]}"
    assert got == [False, False, False, True], (
        f"losses 1.0, 0.8, 0.85, 0.9 with patience=2: expected to stop at the 4th call (two epochs in a row without "
        f"improvement), got {got}; check for an off-by-one in the counter comparison")


def test_improvements_smaller_than_min_delta_do_not_count(ex):
    got = decisions(ex, [1.0, 0.95, 0.92, 0.91], patience=3, min_delta=0.1)
    assert got == [False, False, False, True], (
        f"each drop is below min_delta=0.1, so epochs 2-4 bring no improvement: expected to stop at the 4th call, "
        f"got {got}; an improvement is val_loss < best_loss - min_delta")
    got = decisions(ex, [1.0, 0.95, 0.85, 0.9, 0.92], patience=3, min_delta=0.1)
    assert got == [False, False, False, False, False], (
        f"0.85 beats 1.0 by more than min_delta=0.1 and resets the count: expected no stop, got {got}")


def test_best_weights_are_restored_exactly_after_further_training(ex):
    model = make_model()
    seen, best, last, _ = run_with_training(ex, model, [1.0, 0.5, 0.7, 0.8], patience=2)
    assert seen == [False, False, False, True], f"expected to stop at the 4th epoch, got {seen}"
    assert not torch.equal(best["0.weight"], last["0.weight"]), "test setup: training should change the weights"
    for name, tensor in model.state_dict().items():
        assert_tensor_equal(tensor, best[name], what=f"{name} after stopping",
                            hint="the weights of the best epoch (2nd) were expected; if they equal the last epoch's, "
                                 "the snapshot aliases the live tensors: store {k: v.clone()} of state_dict()")


def test_restore_best_false_leaves_the_last_weights(ex):
    model = make_model()
    seen, best, last, _ = run_with_training(ex, model, [1.0, 0.5, 0.7, 0.8], patience=2, restore_best=False)
    assert seen[-1] is True, f"expected a stop at the 4th epoch, got {seen}"
    for name, tensor in model.state_dict().items():
        assert_tensor_equal(tensor, last[name], what=f"{name} with restore_best=False",
                            hint="restore_best=False: stopping must not touch the model")
