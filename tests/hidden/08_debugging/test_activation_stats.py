"""08_debugging/activation_stats, hidden: reused modules, run order, non-tensor outputs, a torchvision model."""

import copy

import pytest
import torch
from torch import nn
from torchvision.models.resnet import BasicBlock

from helpers import randn, visible_tests

visible = visible_tests(__file__)


class ReusedAct(nn.Module):
    """One ReLU called twice, the way torchvision's BasicBlock reuses self.relu."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(4, 6)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(6, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.fc2(self.act(self.fc1(x)) - 0.1))


class RunsOutOfOrder(nn.Module):
    """Registered head-first, run body-first."""

    def __init__(self) -> None:
        super().__init__()
        self.head = nn.Linear(6, 2)
        self.body = nn.Linear(3, 6)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x))


class Recurrent(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.lstm = nn.LSTM(3, 5, batch_first=True)
        self.head = nn.Linear(5, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        output, _ = self.lstm(x)
        return self.head(output[:, -1])


def test_a_module_called_twice_reports_its_last_call(ex):
    torch.manual_seed(0)
    model, x = ReusedAct(), randn(5, 4, seed=10)
    with torch.no_grad():
        last = model.act(model.fc2(model.act(model.fc1(x)) - 0.1))
    stats = ex.record_activation_stats(model, x)
    assert list(stats) == ["fc1", "act", "fc2"], f"expected fc1, act, fc2 in first-run order, got {list(stats)}"
    assert tuple(stats["act"].shape) == (5, 2), (
        f"act ran twice, last with output shape (5, 2); got {tuple(stats['act'].shape)} "
        "(a module called twice must report its last call)")
    assert stats["act"].mean == pytest.approx(last.mean().item(), abs=1e-5)


def test_order_is_the_order_modules_ran_not_registration(ex):
    torch.manual_seed(1)
    stats = ex.record_activation_stats(RunsOutOfOrder(), randn(4, 3, seed=11))
    assert list(stats) == ["body", "head"], (
        f"body runs before head (though head is registered first); expected ['body', 'head'], got {list(stats)}")


def test_non_tensor_outputs_are_left_out(ex):
    torch.manual_seed(2)
    model = Recurrent()
    stats = ex.record_activation_stats(model, randn(2, 7, 3, seed=12))
    assert list(stats) == ["head"], (
        f"the LSTM returns a tuple, so only head has tensor stats; expected ['head'], got {list(stats)}")
    assert tuple(stats["head"].shape) == (2, 2)


def test_torchvision_basic_blocks(ex):
    torch.manual_seed(3)
    model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), BasicBlock(8, 8), BasicBlock(8, 8),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 4)).eval()
    global_before = visible.global_hook_count()
    x = randn(2, 3, 6, 6, seed=13)
    stats = ex.record_activation_stats(model, x)
    leaves = [name for name, module in model.named_modules() if not list(module.children())]
    assert sorted(stats) == sorted(leaves), f"expected the leaf modules {sorted(leaves)}, got {sorted(stats)}"
    with torch.no_grad():
        block_out = model[1](model[0](x))
    assert tuple(stats["1.relu"].shape) == (2, 8, 6, 6)
    assert stats["1.relu"].mean == pytest.approx(block_out.mean().item(), abs=1e-5), (
        "BasicBlock calls self.relu twice; its entry must describe the last call (the block's output)")
    assert tuple(stats["5"].shape) == (2, 4)
    visible.assert_no_hooks_left(model, global_before)


def test_nested_failure_leaves_no_hooks_and_propagates(ex):
    model = nn.Sequential(visible.make_net(4), nn.Sequential(nn.ReLU(), visible.Explodes()))
    global_before = visible.global_hook_count()
    with pytest.raises(visible.CorruptFrame, match="corrupt frame"):
        ex.record_activation_stats(model, randn(3, 5, seed=14))
    visible.assert_no_hooks_left(model, global_before)


def test_random_models_match_hand_computed_stats(ex):
    for seed in range(3):
        model, x = visible.make_net(20 + seed), randn(2 + seed, 5, seed=30 + seed) * (1 + seed)
        visible.check_stats(ex.record_activation_stats(model, x), visible.expected_stats(model, x))


def test_runs_in_the_models_own_mode(ex):
    torch.manual_seed(4)
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2)).train()
    model[2].eval()  # a mixed-mode model: every flag must stay as it is
    x = randn(6, 3, seed=15) * 2 + 1
    twin = copy.deepcopy(model)
    with torch.no_grad():
        batch_normed = twin[1](twin[0](x))  # train mode: normalised with the batch's own mean and variance
    stats = ex.record_activation_stats(model, x)
    assert list(stats) == ["0", "1", "2"], f"expected entries for 0, 1, 2, got {list(stats)!r:.80}"
    assert stats["1"].mean == pytest.approx(batch_normed.mean().item(), abs=1e-5) and stats["1"].std == (
        pytest.approx(batch_normed.std().item(), abs=1e-5)), (
        f"BatchNorm '1': expected the train-mode output (mean {batch_normed.mean().item():.5f}, std "
        f"{batch_normed.std().item():.5f}), got mean {stats['1'].mean:.5f}, std {stats['1'].std:.5f}; likely cause: "
        "the model was switched to eval for the pass (the statistics must be those model(x) produces)")
    modes = [m.training for m in model.modules()]
    assert modes == [True, True, True, False], f"expected the training flags [True, True, True, False], got {modes}"


def test_stats_are_taken_before_a_later_in_place_op(ex):
    torch.manual_seed(5)
    model = nn.Sequential(nn.Linear(4, 6), nn.ReLU(inplace=True), nn.Linear(6, 2))
    x = randn(5, 4, seed=16)
    with torch.no_grad():
        pre = model[0](x)
    stats = ex.record_activation_stats(model, x)
    assert "0" in stats and stats["0"].mean == pytest.approx(pre.mean().item(), abs=1e-5), (
        f"Linear '0' produced mean {pre.mean().item():.5f}; got {stats['0'].mean if '0' in stats else None!r}; "
        "likely cause: the output was kept and measured after the pass, when ReLU(inplace=True) had already "
        "overwritten it; compute the statistics inside the hook")
    assert stats["0"].std == pytest.approx(pre.std().item(), abs=1e-5)
    assert stats["1"].mean == pytest.approx(pre.clamp(min=0).mean().item(), abs=1e-5)


def test_a_shared_module_appears_once_and_a_bare_leaf_is_named_empty(ex):
    torch.manual_seed(6)
    shared = nn.Linear(4, 4)
    model = nn.Sequential(shared, nn.Tanh(), shared)  # named_modules(): "", "0", "1" (the second "2" is a duplicate)
    x = randn(3, 4, seed=17)
    with torch.no_grad():
        last = shared(torch.tanh(shared(x)))
    stats = ex.record_activation_stats(model, x)
    assert list(stats) == ["0", "1"], (
        f"the Linear registered as '0' and '2' is one module, named '0' by named_modules(); expected ['0', '1'], "
        f"got {list(stats)}; likely cause: named_modules(remove_duplicate=False)")
    assert stats["0"].mean == pytest.approx(last.mean().item(), abs=1e-5), "'0' must report its last call"
    bare = nn.Linear(4, 2)
    stats = ex.record_activation_stats(bare, x)
    assert list(stats) == [""], f"a model without children is itself the only leaf, named ''; got {list(stats)}"
    assert tuple(stats[""].shape) == (3, 2)
