"""04_training/early_stopping, hidden: patience sweep, ties, resets, buffers, and a snapshot that stays put."""

import pytest
import torch
from torch import nn

from helpers import assert_tensor_equal, visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("patience", [1, 2, 3, 5])
def test_stop_epoch_for_each_patience(ex, patience):
    got = visible.decisions(ex, [1.0] + [1.5] * 8, patience=patience)
    expected = [False] * patience + [True]
    assert got[:patience + 1] == expected, (
        f"patience={patience} after one good epoch and then only worse ones: expected {expected}, got "
        f"{got[:patience + 1]}; stop when the count of epochs without improvement reaches patience")


def test_an_equal_loss_is_not_an_improvement(ex):
    got = visible.decisions(ex, [0.5, 0.5, 0.5], patience=2)
    assert got == [False, False, True], (
        f"repeating the best loss is no improvement: expected [False, False, True], got {got}")


def test_an_improvement_resets_the_count(ex):
    got = visible.decisions(ex, [1.0, 1.2, 0.9, 1.0, 1.1], patience=2)
    assert got == [False, False, False, False, True], (
        f"0.9 improves and resets the count, so the stop comes two epochs later: expected the 5th call, got {got}")


def test_batchnorm_buffers_are_restored_too(ex):
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 1))
    _, best, _, _ = visible.run_with_training(ex, model, [1.0, 0.4, 0.6, 0.9], patience=2)
    for name in ("1.running_mean", "1.running_var", "1.num_batches_tracked"):
        assert_tensor_equal(model.state_dict()[name], best[name], what=f"buffer {name} after stopping",
                            hint="snapshot the whole state_dict (parameters and buffers), not named_parameters()")


def test_load_best_after_running_out_of_epochs(ex):
    model = visible.make_model(2)
    seen, best, _, stopper = visible.run_with_training(ex, model, [1.0, 0.3, 0.6], patience=5)
    assert seen == [False, False, False], f"patience 5 over 3 epochs: expected no stop, got {seen}"
    stopper.load_best(model)
    for name, tensor in model.state_dict().items():
        assert_tensor_equal(tensor, best[name], what=f"{name} after load_best()")


def test_snapshot_stays_independent_after_loading(ex):
    model = visible.make_model(3)
    _, best, _, stopper = visible.run_with_training(ex, model, [1.0, 0.3, 0.6, 0.7], patience=2)
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    for seed in range(3):  # keep training the restored model
        visible.train_a_little(model, opt, seed=10 + seed)
    stopper.load_best(model)
    for name, tensor in model.state_dict().items():
        assert_tensor_equal(tensor, best[name], what=f"{name} after more training and load_best()",
                            hint="the snapshot changed with the model: loading must copy values into the model "
                                 "(load_state_dict without assign=True), never hand it the snapshot's tensors")


def test_best_changes_with_each_improvement(ex):
    model = visible.make_model(4)
    seen, best, _, _ = visible.run_with_training(ex, model, [1.0, 0.8, 0.6, 0.4, 0.5, 0.45, 0.7], patience=3)
    assert seen == [False] * 6 + [True], f"expected to stop at the 7th call, got {seen}"
    for name, tensor in model.state_dict().items():
        assert_tensor_equal(tensor, best[name], what=f"{name} after stopping (best epoch is the 4th)",
                            hint="replace the snapshot at every improvement, not only at the first one")
