"""04_training/lr_schedule, hidden: no warmup, random settings, Adam, resuming from state_dict, bad arguments."""

import pytest
import torch
from torch import nn

from helpers import visible_tests

visible = visible_tests(__file__)


def test_no_warmup_starts_at_the_base_lr(ex):
    opt = torch.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.3)
    scheduler = ex.warmup_cosine(opt, warmup_steps=0, total_steps=8, min_lr=0.0)
    seen = [lrs[0] for lrs in visible.lrs_seen_by_each_step(opt, scheduler, 10)]
    assert seen[0] == pytest.approx(0.3, abs=1e-9), f"warmup_steps=0: expected the first step at lr 0.3, got {seen[0]}"
    assert seen[4] == pytest.approx(0.15, abs=1e-9), f"expected the cosine's midpoint 0.15 at step 4, got {seen[4]}"
    assert seen[8:] == pytest.approx([0.0, 0.0], abs=1e-9), f"expected lr 0 from total_steps on, got {seen[8:]}"


@pytest.mark.parametrize("warmup,total,base,min_lr", [(1, 5, 1.0, 0.1), (5, 30, 3e-4, 1e-5), (10, 11, 0.05, 0.0)])
def test_random_settings_follow_the_formula(ex, warmup, total, base, min_lr):
    opt = torch.optim.SGD(nn.Linear(2, 2).parameters(), lr=base)
    scheduler = ex.warmup_cosine(opt, warmup_steps=warmup, total_steps=total, min_lr=min_lr)
    seen = [lrs[0] for lrs in visible.lrs_seen_by_each_step(opt, scheduler, total + 3)]
    expected = [base * visible.expected_factor(s, warmup, total, min_lr / base) for s in range(total + 3)]
    assert seen == pytest.approx(expected, rel=1e-9, abs=1e-12), (
        f"warmup {warmup}, total {total}, lr {base}, min_lr {min_lr}: expected {expected}, got {seen}")


def test_adam_with_groups(ex):
    opt = visible.make_two_group_optimizer(torch.optim.Adam, head_lr=1e-3)
    scheduler = ex.warmup_cosine(opt, warmup_steps=3, total_steps=9, min_lr=1e-5)
    seen = visible.lrs_seen_by_each_step(opt, scheduler, 10)
    for step, (backbone_lr, head_lr) in enumerate(seen):
        want = 1e-3 * visible.expected_factor(step, 3, 9, 1e-2)
        assert head_lr == pytest.approx(want, rel=1e-9, abs=1e-15), (
            f"step {step}: expected head lr {want}, got {head_lr}")
        assert backbone_lr == pytest.approx(want / 10, rel=1e-9, abs=1e-15), (
            f"step {step}: expected backbone lr {want / 10}, got {backbone_lr}")


def test_resumes_from_state_dicts(ex):
    opt = torch.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1)
    scheduler = ex.warmup_cosine(opt, warmup_steps=3, total_steps=12, min_lr=0.0)
    uninterrupted = visible.lrs_seen_by_each_step(opt, scheduler, 14)

    opt = torch.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1)
    scheduler = ex.warmup_cosine(opt, warmup_steps=3, total_steps=12, min_lr=0.0)
    first = visible.lrs_seen_by_each_step(opt, scheduler, 6)
    saved = opt.state_dict(), scheduler.state_dict()
    opt = torch.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1)
    scheduler = ex.warmup_cosine(opt, warmup_steps=3, total_steps=12, min_lr=0.0)
    opt.load_state_dict(saved[0])
    scheduler.load_state_dict(saved[1])
    second = visible.lrs_seen_by_each_step(opt, scheduler, 8)
    resumed, expected = [lrs[0] for lrs in first + second], [lrs[0] for lrs in uninterrupted]
    assert resumed == pytest.approx(expected, abs=1e-12), (
        f"expected a run resumed from state_dicts after 6 steps to see the same lrs: {expected}, got "
        f"{resumed}; keep the step count in the scheduler (last_epoch), not in a closure variable")


@pytest.mark.parametrize("warmup,total", [(10, 10), (12, 10), (-1, 10)])
def test_rejects_impossible_step_counts(ex, warmup, total):
    opt = torch.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1)
    with pytest.raises(ValueError):
        ex.warmup_cosine(opt, warmup_steps=warmup, total_steps=total, min_lr=0.0)
