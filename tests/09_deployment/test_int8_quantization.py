"""09_deployment/int8_quantization: affine and symmetric int8 codes, safe dequantization, an int8 Linear."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from helpers import assert_is_tensor, assert_tensor_close, assert_tensor_equal, randn


def reference_quantize(x: torch.Tensor, symmetric: bool = False) -> tuple[torch.Tensor, float, int]:
    """The documented recipe, written out independently for the Linear reference."""
    if symmetric:
        scale = x.abs().max().item() / 127 or 1.0
        return torch.clamp(torch.round(x / scale), -127, 127).to(torch.int8), scale, 0
    lo, hi = min(x.min().item(), 0.0), max(x.max().item(), 0.0)
    scale = (hi - lo) / 255 if hi > lo else 1.0
    zero_point = int(min(max(round(-128 - lo / scale), -128), 127))
    return torch.clamp(torch.round(x / scale) + zero_point, -128, 127).to(torch.int8), scale, zero_point


def reference_dequantize(q: torch.Tensor, scale: float, zero_point: int) -> torch.Tensor:
    return (q.to(torch.float32) - zero_point) * scale


def check_codes(result, x: torch.Tensor, symmetric: bool) -> tuple[torch.Tensor, float, int]:
    """Types first, then the scale and zero point against the recipe, then the half-step error bound."""
    assert isinstance(result, tuple) and len(result) == 3, (
        f"expected a tuple (q, scale, zero_point), got {type(result).__name__}")
    q, scale, zero_point = result
    assert_is_tensor(q, what="q")
    assert q.dtype == torch.int8 and q.shape == x.shape, (
        f"q: expected an int8 tensor of shape {tuple(x.shape)}, got {q.dtype} {tuple(q.shape)} "
        "(a torch.qint8 quantized tensor is not a plain int8 tensor)")
    assert type(scale) is float and scale > 0, f"scale: expected a positive Python float, got {scale!r}"
    assert type(zero_point) is int, f"zero_point: expected a Python int, got {type(zero_point).__name__}"
    _, expected_scale, expected_zero_point = reference_quantize(x, symmetric)
    rule = "max(|x|) / 127" if symmetric else "(max(x.max(), 0) - min(x.min(), 0)) / 255"
    assert scale == pytest.approx(expected_scale, rel=1e-5), (
        f"expected scale {expected_scale:.6g} = {rule}, got {scale:.6g}")
    assert zero_point == expected_zero_point, (
        f"expected zero_point {expected_zero_point} (the code of 0.0), got {zero_point}")
    error = (reference_dequantize(q, scale, zero_point) - x).abs().max().item()
    assert error <= scale / 2 * (1 + 1e-4) + 1e-7, (
        f"the codes come back with error up to {error:.4g}, more than half a step ({scale / 2:.4g}); "
        "round (not truncate) x / scale, then add the zero point and clamp")
    return q, scale, zero_point


def test_affine_codes_span_the_range_within_half_a_step(ex):
    x = randn(64, seed=1) * 3 + 1
    q, _, _ = check_codes(ex.quantize_per_tensor(x), x, symmetric=False)
    assert (int(q.min()), int(q.max())) == (-128, 127), (
        f"the smallest and largest values should map to the range edges -128 and 127, got {int(q.min())} and "
        f"{int(q.max())}")


def test_zero_is_stored_exactly(ex):
    x = torch.relu(randn(8, 8, seed=2)) * 5  # plenty of exact zeros, and no negative values
    q, scale, zero_point = check_codes(ex.quantize_per_tensor(x), x, symmetric=False)
    zeros = x == 0
    restored = reference_dequantize(q, scale, zero_point)
    assert bool((restored[zeros] == 0).all()), (
        "0.0 does not come back as exactly 0.0: the range must include 0 (lo = min(x.min(), 0)) and the zero "
        "point must be an integer code")


def test_symmetric_codes(ex):
    x = randn(5, 7, seed=3) * 2
    q, _, _ = check_codes(ex.quantize_per_tensor(x, symmetric=True), x, symmetric=True)
    peak = x.abs().argmax()
    assert abs(int(q.flatten()[peak])) == 127, (
        f"the largest |x| should map to +-127, got {int(q.flatten()[peak])}")
    assert int(q.min()) >= -127, f"symmetric codes stay in -127..127, got {int(q.min())}"


def test_dequantize_the_extreme_codes(ex):
    q = torch.tensor([-128, -1, 0, 127], dtype=torch.int8)
    out = ex.dequantize(q, 0.5, 100)
    assert_tensor_equal(out, torch.tensor([-114.0, -50.5, -50.0, 13.5]), what="dequantize(q, 0.5, 100)",
                        hint="in int8, -128 - 100 wraps around to 28: convert q to float32 before subtracting")


def test_quant_linear_is_an_int8_layer_matching_the_reference(ex):
    torch.manual_seed(4)
    linear = nn.Linear(16, 8)
    layer = ex.QuantLinear(linear)
    assert not list(layer.parameters()), (
        f"QuantLinear should hold no nn.Parameter (it is inference-only), found "
        f"{[name for name, _ in layer.named_parameters()]}")
    assert_is_tensor(layer.weight_int8, what="weight_int8")
    assert layer.weight_int8.dtype == torch.int8 and tuple(layer.weight_int8.shape) == (8, 16), (
        f"weight_int8: expected an int8 (8, 16) buffer, got {layer.weight_int8.dtype} {tuple(layer.weight_int8.shape)}")
    state = layer.state_dict()
    for name in ("weight_int8", "weight_scale", "bias"):
        assert name in state, (
            f"{name} is missing from the state_dict (keys {sorted(state)}): register it with register_buffer so it "
            "is saved with the model; a plain attribute is lost on save and load")

    x = randn(5, 16, seed=5)
    q_w, s_w, _ = reference_quantize(linear.weight.detach(), symmetric=True)
    q_x, s_x, zp_x = reference_quantize(x)
    expected = F.linear(reference_dequantize(q_x, s_x, zp_x), reference_dequantize(q_w, s_w, 0), linear.bias.detach())
    out = layer(x)
    assert_tensor_close(out, expected, atol=1e-4, rtol=1e-4, what="QuantLinear output",
                        hint="quantize the input too (affine, per call), accumulate the integer products in int32, "
                             "then multiply by scale_x * scale_w and add the bias")
    with torch.no_grad():
        float_out = linear(x)
    assert (out - float_out).abs().max().item() < 0.1, "QuantLinear is far from the float layer it replaces"
