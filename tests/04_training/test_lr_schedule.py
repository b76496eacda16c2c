"""04_training/lr_schedule: the learning rate each optimizer step actually uses, and groups that keep their ratio."""

import math

import pytest
import torch
from torch import nn


def expected_factor(step: int, warmup: int, total: int, floor: float) -> float:
    if step < warmup:
        return step / warmup
    progress = min(1.0, (step - warmup) / (total - warmup))
    return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress))


def make_two_group_optimizer(opt_class=torch.optim.SGD, head_lr: float = 0.1):
    torch.manual_seed(0)
    backbone, head = nn.Linear(3, 3), nn.Linear(3, 2)
    return opt_class([{"params": backbone.parameters(), "lr": head_lr / 10}, {"params": head.parameters()}],
                     lr=head_lr)


def lrs_seen_by_each_step(opt: torch.optim.Optimizer, scheduler, steps: int) -> list[list[float]]:
    """The lr of every group at the moment each optimizer.step() runs, in the standard loop order."""
    seen = []
    for _ in range(steps):
        seen.append([group["lr"] for group in opt.param_groups])
        opt.step()
        scheduler.step()
    return seen


def test_lr_at_chosen_steps(ex):
    opt = torch.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1)
    scheduler = ex.warmup_cosine(opt, warmup_steps=4, total_steps=20, min_lr=0.01)
    seen = [lrs[0] for lrs in lrs_seen_by_each_step(opt, scheduler, 26)]
    chosen = {0: 0.0, 1: 0.025, 2: 0.05, 4: 0.1, 12: 0.055, 20: 0.01, 25: 0.01}
    for step, want in chosen.items():
        assert seen[step] == pytest.approx(want, abs=1e-9), (
            f"warmup 4, total 20, lr 0.1, min_lr 0.01: expected lr {want} at optimizer step {step}, got "
            f"{seen[step]:.6g} (whole curve: {[round(v, 4) for v in seen]}); warmup is s / warmup_steps from 0, the "
            "cosine runs over total_steps - warmup_steps, and the scheduler must not be stepped at construction")


def test_every_step_follows_the_formula(ex):
    opt = torch.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.2)
    scheduler = ex.warmup_cosine(opt, warmup_steps=3, total_steps=11, min_lr=0.02)
    assert isinstance(scheduler, torch.optim.lr_scheduler.LRScheduler), (
        f"expected a torch.optim.lr_scheduler.LRScheduler (e.g. LambdaLR), got {type(scheduler).__name__}: a real "
        "scheduler has state_dict()/load_state_dict() for checkpoints")
    seen = [lrs[0] for lrs in lrs_seen_by_each_step(opt, scheduler, 14)]
    expected = [0.2 * expected_factor(s, 3, 11, 0.1) for s in range(14)]
    assert seen == pytest.approx(expected, abs=1e-9), f"expected lrs {expected}, got {seen}"


def test_param_groups_keep_their_ratio(ex):
    opt = make_two_group_optimizer(head_lr=0.1)
    scheduler = ex.warmup_cosine(opt, warmup_steps=2, total_steps=10, min_lr=0.001)
    seen = lrs_seen_by_each_step(opt, scheduler, 12)
    for step, (backbone_lr, head_lr) in enumerate(seen[1:], start=1):
        assert head_lr == pytest.approx(10 * backbone_lr, rel=1e-9), (
            f"step {step}: expected the head at 10x the backbone, got head {head_lr:.6g}, backbone {backbone_lr:.6g}; "
            "scale every group by the same factor (LambdaLR's lambda returns a factor, not a learning rate, and "
            "min_lr is a floor for the default-lr group, not one absolute floor for all)")
    assert seen[-1] == pytest.approx([0.0001, 0.001], rel=1e-9), (
        f"expected the schedule to end at [min_lr / 10, min_lr] = [0.0001, 0.001], got {seen[-1]}")
