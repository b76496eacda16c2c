"""06_vision/adaptive_cnn, hidden: random sizes, one-class heads, batch independence, and gradients."""

import random

import torch

from helpers import assert_tensor_close, randn, visible_tests

visible = visible_tests(__file__)


def test_random_sizes_and_batches(ex):
    rng = random.Random(56)
    model = visible.make_model(ex, num_classes=7).eval()
    with torch.no_grad():
        for _ in range(6):
            n, h, w = rng.randint(1, 3), rng.randint(32, 90), rng.randint(32, 90)
            visible.logits_for(model, randn(n, 3, h, w, seed=h * w), 7, what=f"logits for {n} images of {h}x{w}")


def test_exactly_32_by_33_and_33_by_32(ex):
    model = visible.make_model(ex).eval()
    with torch.no_grad():
        for size in [(32, 33), (33, 32), (35, 35)]:
            visible.logits_for(model, randn(2, 3, *size, seed=9), 10, what=f"logits at {size}")


def test_a_single_class_head_on_a_single_image(ex):
    model = visible.make_model(ex, num_classes=1).eval()
    with torch.no_grad():
        visible.logits_for(model, randn(1, 3, 32, 32, seed=6), 1, what="logits of a one-class model for one image")


def test_each_image_is_classified_on_its_own_in_eval_mode(ex):
    model = visible.make_model(ex).eval()
    batch = randn(3, 3, 40, 52, seed=7)
    with torch.no_grad():
        together = visible.logits_for(model, batch, 10, what="batch logits")
        alone = visible.logits_for(model, batch[1:2], 10, what="logits of one image")
    assert_tensor_close(alone[0], together[1], atol=1e-5, rtol=1e-4, what="logits of image 1 alone vs in a batch",
                        hint="something mixes images across the batch (a reshape that folds the batch into features?)")


def test_trains_at_two_sizes(ex):
    model = visible.make_model(ex, num_classes=3)
    for size in [(32, 32), (48, 40)]:
        model.zero_grad()
        out = visible.logits_for(model, randn(2, 3, *size, seed=8), 3, what=f"logits at {size}")
        out.sum().backward()
        assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in model.parameters()), (
            "no parameter received a gradient: the logits are not computed from the model's parameters")


def test_budget_with_other_head_and_channels(ex):
    model = visible.make_model(ex, num_classes=10, in_channels=1)
    visible.logits_for(model, randn(2, 1, 32, 32, seed=10), 10, what="logits of SmallCNN(10, in_channels=1)")
    count = sum(p.numel() for p in model.parameters())
    assert 0 < count <= visible.BUDGET, (
        f"SmallCNN(10, in_channels=1): expected between 1 and {visible.BUDGET:,} parameters, got {count:,}; "
        "likely cause: wide convs or a large head (0 means the layers were never built)")
