"""06_vision/feature_maps: forward hooks on resnet18 by dotted name, detached copies, no leaks, a real PNG."""

import functools
import warnings

import pytest
import torch
from torch import nn
from torchvision.io import decode_png, read_file
from torchvision.models import resnet18

from helpers import assert_no_graph, assert_no_hooks_left, assert_tensor_close, randn

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@functools.lru_cache(maxsize=1)
def _weights() -> dict[str, torch.Tensor]:
    torch.manual_seed(0)
    return resnet18(weights=None).state_dict()


def make_resnet() -> nn.Module:
    """A fresh resnet18(weights=None) per test with the same random weights every time. Cheap: built on the meta
    device, its parameters then share the cached (never trained) tensors; buffers are copied, BN may update them."""
    with torch.device("meta"):
        model = resnet18(weights=None)
    buffers = {name for name, _ in model.named_buffers()}
    state = {name: value.clone() if name in buffers else value for name, value in _weights().items()}
    model.load_state_dict(state, assign=True)
    return model.eval()


def reference_activations(model: nn.Module, x: torch.Tensor) -> dict[str, torch.Tensor]:
    """The same layers computed by calling the submodules by hand (eval mode, so nothing changes)."""
    with torch.no_grad():
        stem = model.maxpool(model.relu(model.bn1(model.conv1(x))))
        conv1 = model.layer1[0].conv1(stem)
        layer1 = model.layer1(stem)
        layer3 = model.layer3(model.layer2(layer1))
        return {"layer1.0.conv1": conv1, "layer1.0.bn1": model.layer1[0].bn1(conv1), "layer1": layer1,
                "layer3": layer3, "layer4": model.layer4(layer3)}


def capture(ex, model, names, x):
    result = ex.capture_activations(model, names, x)
    assert type(result) is dict, f"expected a dict {{name: tensor}}, got {type(result).__name__}"
    assert list(result) == list(names), f"expected the keys {list(names)} in that order, got {list(result)}"
    return result


def read_png(path):
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path.name} does not start with the PNG signature: {data[:8]!r}"
    with warnings.catch_warnings():  # torchvision 0.29 deprecates its image decoders in favour of torchcodec
        warnings.simplefilter("ignore", DeprecationWarning)
        return decode_png(read_file(str(path)))


def tile(image: torch.Tensor, index: int, h: int, w: int, nrow: int = 8, padding: int = 2) -> torch.Tensor:
    row, col = divmod(index, nrow)
    top, left = padding + row * (h + padding), padding + col * (w + padding)
    return image[:, top:top + h, left:left + w]


def expected_tile(channel: torch.Tensor) -> torch.Tensor:
    low, high = channel.min(), channel.max()
    scaled = (channel - low) / (high - low) if high > low else torch.zeros_like(channel)
    return (scaled * 255 + 0.5).floor()


def test_shapes_of_named_layers(ex):
    model = make_resnet()
    names = ["layer1.0.conv1", "layer1", "layer3", "layer4"]
    result = capture(ex, model, names, randn(1, 3, 32, 32, seed=0))
    for name, shape in zip(names, [(1, 64, 8, 8), (1, 64, 8, 8), (1, 256, 2, 2), (1, 512, 1, 1)]):
        assert tuple(result[name].shape) == shape, f"{name}: expected shape {shape}, got {tuple(result[name].shape)}"


def test_values_are_detached_copies_of_each_layer_output(ex):
    model = make_resnet()
    x = randn(1, 3, 32, 32, seed=1)
    expected = reference_activations(model, x)
    result = capture(ex, model, list(expected), x)
    for name, value in result.items():
        assert_no_graph(value, what=f"activation {name}", hint="store output.detach().clone(), not output")
        assert_tensor_close(value, expected[name], atol=1e-5, rtol=1e-4, what=f"activation {name}",
                            hint="a stored view was overwritten by a later in-place op (ReLU(inplace=True) runs "
                                 "right after bn1): store a copy, output.detach().clone()")


def test_hooks_are_removed(ex):
    model = make_resnet()
    for _ in range(2):
        capture(ex, model, ["layer1.0.conv1", "layer2"], randn(1, 3, 32, 32, seed=2))
    assert_no_hooks_left(model, when="after two calls of capture_activations")


def test_hooks_are_removed_when_the_forward_raises(ex):
    model = make_resnet()

    def explode(module, inputs, output):
        raise RuntimeError("corrupt frame")

    ours = model.layer3.register_forward_hook(explode)
    with pytest.raises(RuntimeError, match="corrupt frame"):
        ex.capture_activations(model, ["layer1", "layer4"], randn(1, 3, 32, 32, seed=3))
    ours.remove()
    assert_no_hooks_left(model, when="after a forward pass that raised")


def test_the_models_mode_is_kept(ex):
    model = make_resnet().train()
    capture(ex, model, ["layer2"], randn(2, 3, 32, 32, seed=4))
    assert all(module.training for module in model.modules()), (
        "the caller had the model in training mode and capture_activations changed that: leave the mode alone")


def test_save_feature_grid_writes_a_png_of_the_right_size(ex, tmp_path):
    fmap = randn(10, 5, 7, seed=5)
    path = tmp_path / "grid.png"
    ex.save_feature_grid(fmap, path)
    assert path.is_file(), f"save_feature_grid did not create {path}"
    image = read_png(path)
    # make_grid: 8 tiles per row, 2 rows for 10 channels, a 2-pixel border around every tile
    expected = (2 * (5 + 2) + 2, 8 * (7 + 2) + 2)
    assert tuple(image.shape[1:]) == expected, (
        f"expected a {expected[0]}x{expected[1]} image (2 rows of 8 tiles of 5x7 with make_grid's 2-pixel border), "
        f"got {tuple(image.shape[1:])}; did you pass the channels as a batch of one-channel images, fmap.unsqueeze(1)?")


def test_each_tile_is_scaled_to_its_own_range(ex, tmp_path):
    fmap = randn(3, 6, 6, seed=6)
    fmap[1] *= 100.0   # a strong channel
    fmap[2] *= 0.01    # a weak one: must still use the whole grey range
    path = tmp_path / "grid.png"
    ex.save_feature_grid(fmap, path)
    image = read_png(path).float()
    for index in range(3):
        got = tile(image, index, 6, 6)
        assert bool((got == got[0]).all()), f"tile {index} is not gray: its colour channels differ"
        worst = float((got[0] - expected_tile(fmap[index])).abs().max())
        assert worst <= 1, (
            f"tile {index}: pixel values differ by up to {worst:.0f} from its own min-max scaling to 0..255; likely "
            "cause: one scale for "
            "the whole grid (normalize=True without scale_each=True), or no normalisation at all")
