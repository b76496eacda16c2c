"""06_vision/adaptive_cnn: one model, any input size >= 32, a batch of one stays a batch, a small budget."""

import pytest
import torch

from helpers import assert_finite, assert_shape, randn

BUDGET = 100_000


def make_model(ex, num_classes: int = 10, in_channels: int = 3, seed: int = 0):
    torch.manual_seed(seed)
    return ex.SmallCNN(num_classes, in_channels)


def logits_for(model, x: torch.Tensor, num_classes: int, what: str) -> torch.Tensor:
    try:
        out = model(x)
    except RuntimeError as err:
        raise AssertionError(
            f"{what}: the forward pass on input {tuple(x.shape)} raised `{str(err).splitlines()[0]}`; likely cause: "
            "a Linear sized for one resolution after a plain flatten (put nn.AdaptiveAvgPool2d before it), or so "
            "many poolings that a 32x32 input shrinks to nothing") from None
    assert_shape(out, (x.shape[0], num_classes), what=what,
                 hint="the head must see the same number of features for every input size; flatten from dim 1 "
                      "(x.squeeze() also drops the batch dim of a single image)")
    return out


@pytest.mark.parametrize("size", [(32, 32), (47, 47), (64, 64), (32, 80)])
def test_output_shape_at_several_sizes(ex, size):
    model = make_model(ex)
    out = logits_for(model, randn(2, 3, *size, seed=1), 10, what=f"logits for a batch of 2 images of {size}")
    assert_finite(out, what="logits")


def test_one_model_serves_every_size(ex):
    model = make_model(ex).eval()
    with torch.no_grad():
        for size in [(32, 32), (48, 64), (96, 40)]:
            logits_for(model, randn(3, 3, *size, seed=2), 10, what=f"logits for 3 images of {size} (same model)")


def test_a_batch_of_one_stays_a_batch(ex):
    model = make_model(ex, num_classes=5).eval()
    with torch.no_grad():
        logits_for(model, randn(1, 3, 40, 40, seed=3), 5, what="logits for a single image",)


@pytest.mark.parametrize("size", [(32, 32), (33, 45)])
def test_a_batch_of_one_in_train_mode(ex, size):
    model = make_model(ex, num_classes=5).train()
    try:
        out = model(randn(1, 3, *size, seed=4))
    except (RuntimeError, ValueError) as err:
        raise AssertionError(
            f"a single {size} image in train mode raised `{str(err).splitlines()[0]}`; likely cause: a BatchNorm1d "
            "after the pooling (one value per channel in a batch of one), or a map shrunk to 1x1 before a "
            "BatchNorm2d: the contract asks for N == 1 in training too") from None
    assert_shape(out, (1, 5), what=f"train-mode logits for a single {size} image")


def test_grayscale_input(ex):
    model = make_model(ex, num_classes=4, in_channels=1)
    logits_for(model, randn(2, 1, 36, 50, seed=4), 4, what="logits of a 1-channel model")


def test_parameter_budget(ex):
    model = make_model(ex)
    count = sum(p.numel() for p in model.parameters())
    assert 0 < count <= BUDGET, (
        f"SmallCNN(10) has {count:,} parameters; the budget is {BUDGET:,}. Likely cause: a large Linear after a "
        "big pooled map (AdaptiveAvgPool2d(1) and a Linear(channels, num_classes) is enough), or wide convs")


def test_the_whole_image_counts(ex):
    """An image that differs only in its bottom-right corner must get other logits: no crop to 32x32."""
    model = make_model(ex).eval()
    image = randn(1, 3, 72, 72, seed=5)
    changed = image.clone()
    changed[..., 56:, 56:] += 3.0
    with torch.no_grad():
        before = logits_for(model, image, 10, what="logits")
        after = logits_for(model, changed, 10, what="logits")
    assert not torch.allclose(before, after, atol=1e-6, rtol=0), (
        "changing the bottom-right 16x16 corner of a 72x72 image did not change the logits: the model ignores part "
        "of the image (cropping or slicing to 32x32 instead of pooling the whole feature map adaptively)")


def test_in_channels_defaults_to_rgb(ex):
    torch.manual_seed(0)
    model = ex.SmallCNN(4).eval()
    with torch.no_grad():
        logits_for(model, randn(2, 3, 32, 32, seed=6), 4, what="SmallCNN(4) (in_channels left at its default 3) on RGB")
    for channels in (1, 4):
        with pytest.raises(RuntimeError):
            model(randn(1, channels, 32, 32, seed=7))
            pytest.fail(f"SmallCNN(4) accepted a {channels}-channel image: in_channels must default to 3",
                        pytrace=False)
