"""06_vision/depthwise_separable: groups=in_channels, the parameter saving, and the factorised dense conv."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from helpers import assert_shape, assert_tensor_close, randn


def make(ex, in_channels=4, out_channels=6, kernel_size=3, stride=1, bias=True, seed=0):
    torch.manual_seed(seed)
    return ex.DepthwiseSeparableConv(in_channels, out_channels, kernel_size, stride=stride, bias=bias)


def check_structure(module, in_channels, out_channels, kernel_size, bias=True) -> None:
    depthwise, pointwise = module.depthwise, module.pointwise
    assert isinstance(depthwise, nn.Conv2d) and isinstance(pointwise, nn.Conv2d), (
        f"expected self.depthwise and self.pointwise to be nn.Conv2d, got {type(depthwise).__name__} and "
        f"{type(pointwise).__name__}")
    assert depthwise.groups == in_channels, (
        f"self.depthwise has groups={depthwise.groups}; a depthwise conv filters every input channel on its own: "
        f"groups=in_channels={in_channels}")
    assert tuple(depthwise.weight.shape) == (in_channels, 1, kernel_size, kernel_size), (
        f"expected the depthwise weight to hold one {kernel_size}x{kernel_size} filter per input channel, shape "
        f"{(in_channels, 1, kernel_size, kernel_size)}, got {tuple(depthwise.weight.shape)} (its out_channels must "
        "equal in_channels; channel mixing is the pointwise conv's job)")
    assert depthwise.bias is None, "self.depthwise has a bias: it is redundant before the pointwise conv (bias=False)"
    assert tuple(pointwise.weight.shape) == (out_channels, in_channels, 1, 1), (
        f"expected a 1x1 pointwise weight of shape {(out_channels, in_channels, 1, 1)}, "
        f"got {tuple(pointwise.weight.shape)}")
    assert (pointwise.bias is not None) == bias, (
        f"bias={bias}: the pointwise conv should {'have' if bias else 'not have'} a bias")


def reference_forward(module, x: torch.Tensor) -> torch.Tensor:
    """The definition, spelled out: each channel with its own filter, then a per-pixel channel mix."""
    depthwise, pointwise = module.depthwise, module.pointwise
    filtered = torch.cat([
        F.conv2d(x[:, c:c + 1], depthwise.weight[c:c + 1], stride=depthwise.stride, padding=depthwise.padding)
        for c in range(x.shape[1])
    ], dim=1)
    mixed = torch.einsum("nchw,oc->nohw", filtered, pointwise.weight[:, :, 0, 0])
    if pointwise.bias is not None:
        mixed = mixed + pointwise.bias[None, :, None, None]
    return mixed


def test_structure(ex):
    check_structure(make(ex, 4, 6, 3), 4, 6, 3)


def test_parameter_count_against_a_dense_conv(ex):
    module = make(ex, 128, 256, 3)
    count = sum(p.numel() for p in module.parameters())
    dense = sum(p.numel() for p in nn.Conv2d(128, 256, 3).parameters())
    expected = 128 * 3 * 3 + 128 * 256 + 256
    assert count == expected, (
        f"expected {expected:,} parameters (128 3x3 depthwise filters, a 128->256 1x1 mix and 256 biases), got "
        f"{count:,}; a dense 3x3 conv has {dense:,}")
    assert count * 8 < dense, f"{count:,} parameters is not the ~9x saving over the dense conv's {dense:,}"


@pytest.mark.parametrize("stride", [1, 2])
def test_output_equals_the_explicit_reference(ex, stride):
    module = make(ex, 3, 5, 3, stride=stride)
    check_structure(module, 3, 5, 3)
    x = randn(2, 3, 9, 8, seed=1)
    expected_hw = ((9 + 2 - 3) // stride + 1, (8 + 2 - 3) // stride + 1)
    with torch.no_grad():
        out = module(x)
        assert_shape(out, (2, 5, *expected_hw), what=f"output at stride {stride}",
                     hint="padding kernel_size // 2 and the stride belong on the depthwise conv")
        assert_tensor_close(out, reference_forward(module, x), atol=1e-5, rtol=1e-4, what="output",
                            hint="forward must be pointwise(depthwise(x)) with nothing in between")


def test_as_dense_conv_computes_the_same(ex):
    module = make(ex, 4, 3, 3)
    dense = ex.as_dense_conv(module)
    assert isinstance(dense, nn.Conv2d) and dense.groups == 1, (
        f"expected an nn.Conv2d with groups=1, got {type(dense).__name__} with groups={getattr(dense, 'groups', None)}")
    assert_shape(dense.weight, (3, 4, 3, 3), what="dense weight")
    x = randn(2, 4, 7, 7, seed=2)
    with torch.no_grad():
        assert_tensor_close(dense(x), module(x), atol=1e-5, rtol=1e-4, what="dense conv output",
                            hint="dense.weight[o, c] must be pointwise.weight[o, c, 0, 0] * depthwise.weight[c, 0]")


@pytest.mark.parametrize("kernel_size", [3, 7])
def test_defaults_keep_the_size_and_add_a_bias(ex, kernel_size):
    """stride=1 and bias=True by default; padding kernel_size // 2 keeps the size at stride 1."""
    torch.manual_seed(0)
    module = ex.DepthwiseSeparableConv(2, 3, kernel_size)
    check_structure(module, 2, 3, kernel_size, bias=True)
    with torch.no_grad():
        out = module(randn(1, 2, 9, 11, seed=5))
    assert_shape(out, (1, 3, 9, 11), what=f"output of DepthwiseSeparableConv(2, 3, {kernel_size}) on a 9x11 map",
                 hint=f"the default stride is 1 and the depthwise padding kernel_size // 2 = {kernel_size // 2} "
                      "keeps the size")
