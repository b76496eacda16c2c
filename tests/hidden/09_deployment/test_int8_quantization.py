"""09_deployment/int8_quantization, hidden: one-signed and constant tensors, shapes, bias-free and 3-D Linears."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from helpers import assert_finite, assert_tensor_close, randn, visible_tests

visible = visible_tests(__file__)


def test_all_negative_data(ex):
    x = -(randn(30, seed=10).abs() + 0.1)
    _, _, zero_point = visible.check_codes(ex.quantize_per_tensor(x), x, symmetric=False)
    assert zero_point == 127, f"with hi = 0 the zero point is the top code 127, got {zero_point}"


def test_all_positive_data_without_zeros(ex):
    x = randn(30, seed=11).abs() + 2.0
    _, _, zero_point = visible.check_codes(ex.quantize_per_tensor(x), x, symmetric=False)
    assert zero_point == -128, f"with lo = 0 the zero point is the bottom code -128, got {zero_point}"


@pytest.mark.parametrize("symmetric", [False, True])
def test_a_tensor_of_zeros(ex, symmetric):
    x = torch.zeros(3, 4)
    q, scale, zero_point = ex.quantize_per_tensor(x, symmetric=symmetric)
    assert type(scale) is float and scale > 0 and scale == scale and scale != float("inf"), (
        f"a tensor of zeros needs a finite positive scale (1.0 is customary), got {scale!r}: never divide by 0")
    restored = ex.dequantize(q, scale, zero_point)
    assert_finite(restored, what="dequantized zeros")
    assert bool((restored == 0).all()), "zeros must come back as exactly 0.0"


@pytest.mark.parametrize("shape,seed", [((1,), 12), ((2, 3, 4), 13), ((7, 33), 14)])
@pytest.mark.parametrize("symmetric", [False, True])
def test_random_shapes_round_trip(ex, shape, seed, symmetric):
    x = randn(*shape, seed=seed) * (seed - 10)
    q, scale, zero_point = visible.check_codes(ex.quantize_per_tensor(x, symmetric=symmetric), x, symmetric)
    restored = ex.dequantize(q, scale, zero_point)
    assert restored.dtype == torch.float32, f"dequantize should return float32, got {restored.dtype}"
    assert_tensor_close(restored, visible.reference_dequantize(q, scale, zero_point), atol=1e-6, rtol=1e-6,
                        what=f"dequantize of shape {shape}")


def test_dequantize_with_a_negative_zero_point(ex):
    q = torch.tensor([127, 0, -128], dtype=torch.int8)
    assert_tensor_close(ex.dequantize(q, 0.25, -128), torch.tensor([63.75, 32.0, 0.0]), atol=0, rtol=0,
                        what="dequantize(q, 0.25, -128)", hint="127 - (-128) = 255 does not fit in an int8")


def test_bias_free_layer_on_3d_input_and_wide_rows(ex):
    torch.manual_seed(15)
    linear = nn.Linear(256, 4, bias=False)
    layer = ex.QuantLinear(linear)
    assert layer.bias is None, "an nn.Linear without bias gives a QuantLinear whose bias is None"
    x = randn(2, 3, 256, seed=15) * 4
    q_w, s_w, _ = visible.reference_quantize(linear.weight.detach(), symmetric=True)
    q_x, s_x, zp_x = visible.reference_quantize(x)
    expected = F.linear(visible.reference_dequantize(q_x, s_x, zp_x), visible.reference_dequantize(q_w, s_w, 0))
    assert_tensor_close(layer(x), expected, atol=1e-3, rtol=1e-4, what="QuantLinear(256 -> 4) on a (2, 3, 256) input",
                        hint="256 products of int8 codes overflow an int8 accumulator: multiply in int32")


def test_weight_scale_and_state_dict(ex):
    torch.manual_seed(16)
    linear = nn.Linear(6, 3)
    layer = ex.QuantLinear(linear)
    expected_scale = linear.weight.detach().abs().max().item() / 127
    assert float(layer.weight_scale) == pytest.approx(expected_scale, rel=1e-5), (
        f"weight_scale: expected max(|w|) / 127 = {expected_scale:.6g}, got {float(layer.weight_scale):.6g}")
    state = layer.state_dict()
    assert state["weight_int8"].dtype == torch.int8 and "weight" not in state, (
        f"the saved state should hold the int8 weight and no float copy, got keys {sorted(state)}")
    assert_tensor_close(state["bias"], linear.bias.detach(), atol=0, rtol=0, what="bias buffer")


def test_exact_ties_round_half_to_even(ex):
    # range [0, 127.5]: scale 0.5 exactly and zero_point -128, so 0.25 / 0.5 = 0.5 and 1.25 / 0.5 = 2.5 are exact ties
    x = torch.tensor([0.0, 0.25, 1.25, 127.5])
    q, scale, zero_point = ex.quantize_per_tensor(x)
    assert (scale, zero_point) == (0.5, -128), f"expected scale 0.5 and zero_point -128, got {scale}, {zero_point}"
    expected = torch.tensor([-128, -128, -126, 127], dtype=torch.int8)
    assert_tensor_close(q, expected, atol=0, rtol=0, what="codes of exact ties",
                        hint="torch.round rounds a tie to the even neighbour (0.5 -> 0, 2.5 -> 2); floor(v + 0.5) "
                             "rounds it up")


def test_inputs_are_quantized_afresh_on_every_call(ex):
    torch.manual_seed(17)
    linear = nn.Linear(4, 3)
    layer = ex.QuantLinear(linear)
    q_w, s_w, _ = visible.reference_quantize(linear.weight.detach(), symmetric=True)
    for seed, spread in [(18, 0.1), (19, 25.0)]:  # a second input with a very different range
        x = randn(6, 4, seed=seed) * spread
        q_x, s_x, zp_x = visible.reference_quantize(x)
        expected = F.linear(visible.reference_dequantize(q_x, s_x, zp_x), visible.reference_dequantize(q_w, s_w, 0),
                            linear.bias.detach())
        assert_tensor_close(layer(x), expected, atol=1e-4 * spread, rtol=1e-4,
                            what=f"output on inputs of spread {spread}",
                            hint="dynamic quantization picks the input's scale and zero point on every call, "
                                 "not once on the first input")


def test_the_state_dict_holds_the_scale_and_the_bias(ex):
    torch.manual_seed(20)
    linear = nn.Linear(5, 2)
    state = ex.QuantLinear(linear).state_dict()
    expected_scale = linear.weight.detach().abs().max().item() / 127
    assert "weight_scale" in state and float(state["weight_scale"]) == pytest.approx(expected_scale, rel=1e-6), (
        f"the state_dict should hold weight_scale = max(|w|) / 127 = {expected_scale:.6g}, got keys {sorted(state)} "
        "(register weight_scale as a buffer: a plain attribute is not saved)")
    assert_tensor_close(state["bias"], linear.bias.detach(), atol=0, rtol=0, what="state_dict()['bias']")
