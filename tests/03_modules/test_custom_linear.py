"""03_modules/custom_linear: a hand-written nn.Linear whose weights are registered parameters."""

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from helpers import assert_is_tensor, assert_shape, assert_tensor_close, randn


def make_pair(ex, in_features: int, out_features: int, bias: bool = True, seed: int = 0):
    """A CustomLinear and an nn.Linear holding the same weights (copied by state_dict, so the keys must match)."""
    torch.manual_seed(seed)
    reference = nn.Linear(in_features, out_features, bias=bias)
    layer = ex.CustomLinear(in_features, out_features, bias=bias)
    expected_keys = list(reference.state_dict())
    keys = list(layer.state_dict())
    assert keys == expected_keys, (
        f"expected state_dict keys {expected_keys} (those of nn.Linear(bias={bias})), got {keys}; likely cause: "
        "weights stored as plain tensors (not nn.Parameter) or bias=False still creating a bias parameter")
    layer.load_state_dict(reference.state_dict())
    return layer, reference


def test_weight_and_bias_are_registered_parameters(ex):
    layer = ex.CustomLinear(4, 3)
    names = [name for name, _ in layer.named_parameters()]
    assert names == ["weight", "bias"], (
        f"expected named_parameters() to list ['weight', 'bias'], got {names}; likely cause: the tensors were "
        "assigned as plain torch.Tensor attributes; wrap them in nn.Parameter so the module registers them")
    assert type(layer.weight) is nn.Parameter and type(layer.bias) is nn.Parameter, (
        f"expected weight and bias to be nn.Parameter, got {type(layer.weight).__name__} and "
        f"{type(layer.bias).__name__}")
    assert_shape(layer.weight, (3, 4), "weight", hint="nn.Linear stores weight as (out_features, in_features)")
    assert_shape(layer.bias, (3,), "bias")
    assert layer.weight.requires_grad and layer.bias.requires_grad, "parameters must require grad to be trained"


@pytest.mark.parametrize("bias", [True, False])
def test_state_dict_loads_from_and_into_nn_linear(ex, bias):
    layer, reference = make_pair(ex, 5, 3, bias=bias)
    back = nn.Linear(5, 3, bias=bias)
    back.load_state_dict(layer.state_dict())  # and the other way: our checkpoint loads into nn.Linear
    assert_tensor_close(back.weight, reference.weight, atol=0, rtol=0, what="weight after a round trip")


def test_bias_false_means_no_bias_parameter(ex):
    layer = ex.CustomLinear(4, 3, bias=False)
    assert layer.bias is None, f"with bias=False expected layer.bias to be None, got {type(layer.bias).__name__}"
    names = [name for name, _ in layer.named_parameters()]
    hint = ("use self.register_parameter('bias', None) instead of creating a zero bias" if "bias" in names
            else "weight is not registered: wrap it in nn.Parameter")
    assert names == ["weight"], f"with bias=False expected only ['weight'] in named_parameters(), got {names}; {hint}"
    x = randn(6, 4, seed=1)
    assert_tensor_close(layer(x), F.linear(x, layer.weight), atol=1e-6, rtol=1e-6, what="output with bias=False")


def test_bias_false_slot_is_registered_like_nn_linear(ex):
    # nn.Linear(bias=False) keeps a registered (empty) "bias" slot, so a bias can be registered there later;
    # a plain `self.bias = None` attribute blocks that with "attribute 'bias' already exists"
    layer = ex.CustomLinear(4, 3, bias=False)
    try:
        layer.register_parameter("bias", nn.Parameter(torch.zeros(3)))
    except KeyError as err:
        raise AssertionError(
            f"register_parameter('bias', ...) on CustomLinear(4, 3, bias=False) raised KeyError({err}); it works on "
            "nn.Linear(4, 3, bias=False); likely cause: `self.bias = None` as a plain attribute instead of "
            "self.register_parameter('bias', None)") from None
    names = [name for name, _ in layer.named_parameters()]
    assert names == ["weight", "bias"], f"after registering a bias expected ['weight', 'bias'], got {names}"


@pytest.mark.parametrize("shape", [(5, 4), (2, 3, 4), (4,)])
def test_forward_matches_f_linear(ex, device, shape):
    layer, reference = make_pair(ex, 4, 3, seed=2)
    layer.to(device)
    x = randn(*shape, seed=3, device=device)
    expected = F.linear(x, reference.weight.to(device), reference.bias.to(device))
    assert_tensor_close(layer(x), expected, atol=1e-6, rtol=1e-6, what=f"output for input shape {shape}",
                        hint="compute x @ weight.T + bias; weight is (out_features, in_features)")


def test_gradients_match_nn_linear(ex):
    layer, reference = make_pair(ex, 6, 4, seed=4)
    x = randn(5, 6, seed=5).requires_grad_()
    x_ref = x.detach().clone().requires_grad_()
    upstream = randn(5, 4, seed=6)
    (layer(x) * upstream).sum().backward()
    (reference(x_ref) * upstream).sum().backward()
    for name in ("weight", "bias"):
        grad = getattr(layer, name).grad
        assert grad is not None, f"{name}.grad is None after backward: the parameter is not part of the graph"
        assert_tensor_close(grad, getattr(reference, name).grad, atol=1e-5, rtol=1e-5, what=f"{name}.grad")
    assert_tensor_close(x.grad, x_ref.grad, atol=1e-5, rtol=1e-5, what="input gradient")


def test_init_like_nn_linear(ex):
    torch.manual_seed(7)
    layer = ex.CustomLinear(256, 128)
    bound = 1 / math.sqrt(256)
    for name, tensor in (("weight", layer.weight), ("bias", layer.bias)):
        largest = tensor.detach().abs().max().item()
        assert largest <= bound + 1e-7, (
            f"{name}: expected values within +-1/sqrt(in_features) = +-{bound:.4f}, found {largest:.4f}; "
            "likely cause: torch.randn init (std 1) instead of nn.Linear's uniform init")
    expected_std = bound / math.sqrt(3)  # the std of U(-bound, bound)
    std = layer.weight.detach().std().item()
    assert abs(std - expected_std) < 0.1 * expected_std, (
        f"weight: expected std near {expected_std:.4f} (uniform in +-{bound:.4f}), got {std:.4f}")
    bias_std = layer.bias.detach().std().item()
    assert bias_std > 0.5 * expected_std, (
        f"bias: expected values spread uniformly in +-{bound:.4f} like nn.Linear's (std near {expected_std:.4f}), "
        f"got std {bias_std:.4f}; likely cause: a constant (zero) bias")


def test_to_float64_moves_every_parameter(ex):
    layer = ex.CustomLinear(4, 3)
    returned = layer.to(torch.float64)
    assert returned is layer, "Module.to() returns the module itself; do not override it"
    for name in ("weight", "bias"):
        tensor = getattr(layer, name)
        assert type(tensor) is nn.Parameter and tensor.dtype == torch.float64, (
            f"after .to(torch.float64) expected {name} to be a float64 nn.Parameter, got "
            f"{type(tensor).__name__} of {tensor.dtype}; plain tensor attributes are not moved by .to()")
    out = layer(randn(2, 4, seed=8, dtype=torch.float64))
    assert_is_tensor(out, "output")
    assert out.dtype == torch.float64, f"expected a float64 output, got {out.dtype}"
