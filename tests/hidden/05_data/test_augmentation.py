"""05_data/augmentation, hidden: other sizes and channels, tv_tensors types, std 0, boxes, seeded pipelines."""

import pytest
import torch
from torchvision import tv_tensors

from helpers import assert_tensor_close, assert_tensor_equal, visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("shape,size", [((3, 40, 25), 12), ((1, 9, 6), 16), ((3, 16, 16), 16)])
def test_eval_on_other_shapes(ex, shape, size):
    image = torch.randint(0, 256, shape, dtype=torch.uint8, generator=torch.Generator().manual_seed(size))
    out = visible.check_output(ex.build_transforms(train=False, size=size)(image), shape[0], size, what=f"eval {shape}")
    assert_tensor_close(out, visible.eval_reference(image, size), atol=1 / 255 + 1e-6, rtol=0,
                        what=f"eval transform of a {shape} image", hint="Resize(size), CenterCrop(size), scale to [0, 1]")


@pytest.mark.parametrize("shape,size", [((1, 30, 20), 10), ((3, 8, 12), 24)])
def test_train_on_other_shapes(ex, shape, size):
    transform = ex.build_transforms(train=True, size=size)
    torch.manual_seed(size)
    for _ in range(3):
        visible.check_output(transform(visible.checkerboard(*shape)), shape[0], size, what=f"train {shape}")


def test_image_stays_an_image(ex):
    image = tv_tensors.Image(torch.full((3, 6, 6), 0.5))
    out = ex.AddGaussianNoise(0.05)(image)
    assert type(out) is tv_tensors.Image, (
        f"a tv_tensors.Image came back as {type(out).__name__}: arithmetic unwraps tv_tensors, so wrap the result "
        "with tv_tensors.wrap(result, like=inpt)")


def test_boxes_pass_through(ex):
    boxes = tv_tensors.BoundingBoxes([[1.0, 1.0, 4.0, 5.0]], format="XYXY", canvas_size=(6, 6))
    image = tv_tensors.Image(torch.full((3, 6, 6), 0.5))
    torch.manual_seed(0)
    new_image, new_boxes = ex.AddGaussianNoise(0.2)(image, boxes)
    assert type(new_boxes) is tv_tensors.BoundingBoxes and torch.equal(new_boxes, boxes), (
        "bounding boxes were changed: only images get noise")
    assert not torch.equal(new_image.as_subclass(torch.Tensor), image.as_subclass(torch.Tensor)), "no noise on the image"


def test_zero_std_is_the_identity(ex):
    image = torch.rand(3, 5, 7, generator=torch.Generator().manual_seed(3))
    out = visible.as_plain(ex.AddGaussianNoise(0.0)(image), "AddGaussianNoise(0) output")
    assert_tensor_equal(out, image, what="AddGaussianNoise(0.0) output", hint="noise is std * standard normal")


def test_larger_std(ex):
    image = torch.full((2, 80, 80), 0.5)
    torch.manual_seed(1)
    delta = visible.as_plain(ex.AddGaussianNoise(0.05)(image), "noise output") - 0.5
    assert abs(float(delta.std()) - 0.05) < 0.005, f"expected std 0.05, got {float(delta.std()):.4f}"


def test_train_pipeline_replays_a_whole_sequence(ex):
    transform = ex.build_transforms(train=True, size=10)
    images = [visible.checkerboard(3, 14 + k, 18) for k in range(3)]
    torch.manual_seed(21)
    first = [visible.as_plain(transform(image), "train") for image in images]
    torch.manual_seed(21)
    second = [visible.as_plain(transform(image), "train") for image in images]
    for k, (a, b) in enumerate(zip(first, second)):
        assert_tensor_equal(b, a, what=f"train transform of image {k} after the same seed",
                            hint="every random draw must come from torch's global RNG")


def test_eval_ignores_the_rng(ex):
    transform = ex.build_transforms(train=False, size=10)
    image = visible.checkerboard(3, 15, 21)
    torch.manual_seed(0)
    first = visible.as_plain(transform(image), "eval")
    torch.manual_seed(1)
    assert_tensor_equal(visible.as_plain(transform(image), "eval"), first, what="eval transform under another seed",
                        hint="nothing random in the eval pipeline")


def test_train_crop_resizes_a_small_image_instead_of_padding_it(ex):
    image = torch.full((3, 10, 10), 200, dtype=torch.uint8)  # smaller than size: a resized crop scales it up
    transform = ex.build_transforms(train=True, size=16)
    torch.manual_seed(4)
    for draw in range(5):
        out = visible.check_output(transform(image), 3, 16, what=f"train transform of a 10x10 image, draw {draw}")
        assert_tensor_close(out, torch.full((3, 16, 16), 200 / 255), atol=0.15, rtol=0,
                            what=f"train transform of a uniform 10x10 image, draw {draw}",
                            hint="v2.RandomResizedCrop(size) scales the crop to size x size; a RandomCrop pads "
                                 "a small image with zeros")


def test_train_crop_is_resized_with_antialiasing(ex):
    # a one-pixel checkerboard shrunk at least 3x: antialiased it averages to mid-gray, without it aliases
    board = ((torch.arange(96)[:, None] + torch.arange(96)[None, :]) % 2 * 255).to(torch.uint8).expand(3, 96, 96)
    transform = ex.build_transforms(train=True, size=8)
    torch.manual_seed(5)
    for draw in range(5):
        out = visible.check_output(transform(board.clone()), 3, 8, what=f"train transform of a fine board, draw {draw}")
        worst = float((out - 0.5).abs().max())
        assert worst < 0.13, (
            f"draw {draw}: a shrunk one-pixel checkerboard has a pixel {worst:.3f} away from mid-gray; expected "
            "under 0.13 (the 0.02 noise only): resize with antialiasing (v2.RandomResizedCrop(size), whose "
            "antialias=True is the default), not antialias=False")
