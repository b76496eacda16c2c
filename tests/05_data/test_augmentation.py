"""05_data/augmentation: v2 pipelines with the right shape, dtype and range; random in training only, seeded."""

import torch
from torchvision import tv_tensors
from torchvision.transforms import v2
from torchvision.transforms.v2 import functional as F

from helpers import assert_tensor_close, assert_tensor_equal


def checkerboard(channels: int = 3, height: int = 20, width: int = 30) -> torch.Tensor:
    """A uint8 image of 0s and 255s: noise on it leaves [0, 255] unless it is clamped."""
    rows = torch.arange(height)[:, None] // 2
    cols = torch.arange(width)[None, :] // 3
    board = ((rows + cols) % 2 * 255).to(torch.uint8)
    return board.expand(channels, height, width).clone()


def gray(value: int = 128, shape=(3, 20, 30)) -> torch.Tensor:
    return torch.full(shape, value, dtype=torch.uint8)


def as_plain(value, what: str) -> torch.Tensor:
    """The output as a plain tensor (a tv_tensors.Image is fine too), after checking it is a tensor."""
    assert isinstance(value, torch.Tensor), f"{what}: expected a tensor, got {type(value).__name__}"
    return value.as_subclass(torch.Tensor)


def check_output(out, channels: int, size: int, what: str) -> torch.Tensor:
    out = as_plain(out, what)
    assert out.dtype == torch.float32, f"{what}: expected dtype float32, got {out.dtype}; add v2.ToDtype(torch.float32, scale=True)"
    assert tuple(out.shape) == (channels, size, size), (
        f"{what}: expected shape {(channels, size, size)}, got {tuple(out.shape)}")
    low, high = float(out.min()), float(out.max())
    assert 0.0 <= low and high <= 1.0, (
        f"{what}: expected values in [0, 1], got [{low:.3f}, {high:.3f}]; likely ToDtype without scale=True "
        "(values stay 0..255) or noise that is not clamped")
    return out


def eval_reference(image: torch.Tensor, size: int) -> torch.Tensor:
    resized = F.resize(image, [size], antialias=True)
    return F.center_crop(resized, [size, size]).float() / 255


def test_train_output_shape_dtype_and_range(ex):
    transform = ex.build_transforms(train=True, size=16)
    torch.manual_seed(0)
    for draw in range(5):
        check_output(transform(checkerboard()), 3, 16, what=f"train transform, draw {draw}")


def test_eval_is_resize_and_centre_crop_and_deterministic(ex):
    transform = ex.build_transforms(train=False, size=12)
    image = torch.randint(0, 256, (3, 20, 30), dtype=torch.uint8, generator=torch.Generator().manual_seed(1))
    first = check_output(transform(image), 3, 12, what="eval transform")
    second = as_plain(transform(image), "eval transform")
    assert_tensor_equal(second, first, what="a second eval transform of the same image",
                        hint="the eval pipeline must hold no random transform")
    assert_tensor_close(first, eval_reference(image, 12), atol=1 / 255 + 1e-6, rtol=0, what="eval transform",
                        hint="resize the shorter side to size (v2.Resize(size)), then v2.CenterCrop(size), then scale "
                             "to [0, 1]; v2.Resize((size, size)) squashes the aspect ratio")


def test_train_is_random_and_reproducible_with_manual_seed(ex):
    transform = ex.build_transforms(train=True, size=16)
    image = checkerboard()
    torch.manual_seed(7)
    first, second = transform(image), transform(image)
    torch.manual_seed(7)
    replay = transform(image)
    assert not torch.equal(as_plain(first, "train"), as_plain(second, "train")), (
        "two train transforms of the same image were identical: the train pipeline needs random augmentation")
    assert_tensor_equal(as_plain(replay, "train"), as_plain(first, "train"), what="train transform after the same seed",
                        hint="draw every random number from torch's global RNG (torch.randn_like), not numpy or random")


def test_noise_only_in_training(ex):
    train, evaluate = ex.build_transforms(train=True, size=8), ex.build_transforms(train=False, size=8)
    torch.manual_seed(0)
    noisy = check_output(train(gray()), 3, 8, what="train transform of a gray image")
    assert float(noisy.std()) > 1e-3, (
        "a uniformly gray image came out of the train pipeline uniformly gray: crops and flips cannot change it, "
        "but AddGaussianNoise should")
    clean = check_output(evaluate(gray()), 3, 8, what="eval transform of a gray image")
    assert_tensor_close(clean, torch.full((3, 8, 8), 128 / 255), atol=1e-6, rtol=0, what="eval transform of a gray image",
                        hint="no noise (and nothing random) in the eval pipeline")


def test_noise_has_the_requested_std(ex):
    noise = ex.AddGaussianNoise(0.1)
    assert isinstance(noise, v2.Transform), "AddGaussianNoise must subclass torchvision.transforms.v2.Transform"
    image = torch.full((3, 64, 64), 0.5)
    torch.manual_seed(0)
    noisy = as_plain(noise(image), "AddGaussianNoise output")
    delta = noisy - 0.5
    assert abs(float(delta.mean())) < 0.01 and abs(float(delta.std()) - 0.1) < 0.01, (
        f"expected noise with mean 0 and std 0.1, got mean {float(delta.mean()):.4f}, std {float(delta.std()):.4f}; "
        "scale standard normal noise by std (not std ** 2, not a uniform draw)")
    torch.manual_seed(0)
    assert_tensor_equal(as_plain(noise(image), "AddGaussianNoise output"), noisy,
                        what="noise after the same torch.manual_seed", hint="use torch's RNG (torch.randn_like)")
    torch.manual_seed(0)
    expected = (image + 0.1 * torch.randn_like(image)).clamp(0.0, 1.0)
    assert_tensor_close(noisy, expected, atol=1e-6, rtol=0, what="AddGaussianNoise(0.1) after torch.manual_seed(0)",
                        hint="the contract is image + std * torch.randn_like(image), clamped (not minus, not "
                             "another draw)")


def test_noise_clamps_and_passes_the_rest_of_a_sample_through(ex):
    noise = ex.AddGaussianNoise(0.5)
    image = checkerboard().float() / 255
    mask = tv_tensors.Mask((torch.arange(20)[:, None] + torch.arange(30)[None, :]) % 3)
    torch.manual_seed(0)
    out = noise(image, mask, 7)
    assert isinstance(out, tuple) and len(out) == 3, (
        f"noise(image, mask, label) must return the whole sample (3 items), got {type(out).__name__}; "
        "subclass v2.Transform and override transform(), not forward() or __call__")
    new_image, new_mask, label = out
    new_image = as_plain(new_image, "noisy image")
    assert 0.0 <= float(new_image.min()) and float(new_image.max()) <= 1.0, (
        f"noisy image values span [{float(new_image.min()):.3f}, {float(new_image.max()):.3f}]: clamp to [0, 1]")
    assert not torch.equal(new_image, image), "the image came back without noise"
    assert type(new_mask) is tv_tensors.Mask and torch.equal(new_mask, mask), (
        "the segmentation mask was changed: only images get noise (a Mask is a tensor too, so restrict "
        "_transformed_types or skip non-image inputs in transform())")
    assert label == 7, f"the label came back as {label!r}, expected 7 untouched"


def test_pipelines_take_a_whole_sample(ex):
    for train in (True, False):
        out = ex.build_transforms(train=train, size=8)(checkerboard(), 3)
        assert isinstance(out, tuple) and len(out) == 2 and out[1] == 3, (
            f"build_transforms(train={train})(image, 3) should return (image, 3), got {out!r:.80}")
        check_output(out[0], 3, 8, what=f"image of a (image, label) sample, train={train}")


def test_train_flips_some_images_and_not_others(ex):
    # a left-to-right ramp: a resized crop keeps it increasing, only a horizontal flip makes it decrease
    ramp = (torch.arange(64) * 4).to(torch.uint8).expand(3, 48, 64).clone()
    transform = ex.build_transforms(train=True, size=16)
    torch.manual_seed(3)
    flipped = []
    for _ in range(30):
        out = check_output(transform(ramp), 3, 16, what="train transform of a ramp")
        flipped.append(float(out[..., :8].mean()) > float(out[..., 8:].mean()))
    assert any(flipped) and not all(flipped), (
        f"of 30 train transforms of a left-to-right ramp, {sum(flipped)} came out mirrored; expected some but not all: "
        "the train pipeline needs v2.RandomHorizontalFlip() (p=0.5), after the random resized crop")
