"""06_vision/depthwise_separable, hidden: random configurations, no bias, square layers, gradients."""

import random

import pytest
import torch

from helpers import assert_tensor_close, randn, visible_tests

visible = visible_tests(__file__)


def randomise(module, seed: int) -> None:
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=generator))


def test_random_configurations(ex):
    rng = random.Random(59)
    for index in range(8):
        cin, cout, k = rng.randint(1, 6), rng.randint(1, 6), rng.choice([1, 3, 5])
        stride, bias = rng.choice([1, 2]), rng.random() < 0.5
        module = visible.make(ex, cin, cout, k, stride=stride, bias=bias, seed=index)
        visible.check_structure(module, cin, cout, k, bias)
        randomise(module, index)
        x = randn(2, cin, rng.randint(5, 11), rng.randint(5, 11), seed=index)
        with torch.no_grad():
            assert_tensor_close(module(x), visible.reference_forward(module, x), atol=1e-4, rtol=1e-4,
                                what=f"output for in={cin}, out={cout}, k={k}, stride={stride}, bias={bias}")
            assert_tensor_close(ex.as_dense_conv(module)(x), module(x), atol=1e-4, rtol=1e-4,
                                what=f"dense equivalent for in={cin}, out={cout}, k={k}, stride={stride}, bias={bias}")


@pytest.mark.parametrize("channels", [4, 1])
def test_square_layers_and_the_dense_weight(ex, channels):
    """in == out is where a broadcast of the two weights runs but pairs the wrong filters."""
    module = visible.make(ex, channels, channels, 3, bias=False)
    randomise(module, 7)
    dense = ex.as_dense_conv(module)
    assert dense.bias is None or not dense.bias.detach().any(), (
        "the separable conv has no bias, so its dense equivalent may have none or a zero bias, not "
        f"{dense.bias.detach().tolist()}")
    x = randn(1, channels, 6, 6, seed=3)
    with torch.no_grad():
        assert_tensor_close(dense(x), module(x), atol=1e-4, rtol=1e-4, what="dense conv output",
                            hint="pair pointwise[o, c] with depthwise[c], the filter of input channel c, not of o")


def test_parameter_count_without_bias(ex):
    module = visible.make(ex, 16, 32, 5, bias=False)
    count = sum(p.numel() for p in module.parameters())
    assert count == 16 * 25 + 16 * 32, f"expected {16 * 25 + 16 * 32} parameters without bias, got {count}"


def test_gradients_reach_both_convs(ex):
    module = visible.make(ex, 3, 4, 3)
    module(randn(2, 3, 6, 6, seed=4)).square().sum().backward()
    for name in ("depthwise", "pointwise"):
        grad = getattr(module, name).weight.grad
        assert grad is not None and grad.abs().sum() > 0, f"self.{name}.weight received no gradient"


@pytest.mark.parametrize("dtype, device", [(torch.float64, "cpu"), (torch.float32, "meta")])
def test_the_dense_conv_follows_the_modules_dtype_and_device(ex, dtype, device):
    module = visible.make(ex, 3, 5, 3, stride=2).to(device=device, dtype=dtype)
    dense = ex.as_dense_conv(module)
    got = {name: (p.dtype, p.device.type) for name, p in dense.named_parameters()}
    assert got and all(v == (dtype, device) for v in got.values()), (
        f"as_dense_conv of a module in {dtype} on {device} returned parameters {got}; expected all {dtype} on "
        f"{device}: build the nn.Conv2d with device= and dtype= of the module's weights (a default Conv2d is "
        "float32 on the CPU, and the caller's input would not match it)")
    if device == "cpu":
        x = randn(2, 3, 7, 7, seed=9).to(dtype)
        with torch.no_grad():
            assert_tensor_close(dense(x), module(x), atol=1e-10, rtol=1e-10, what="float64 dense conv output")
