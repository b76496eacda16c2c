"""03_modules/custom_linear, hidden: gradcheck, optimizer steps, other shapes and sizes, bias-free moves."""

import math

import pytest
import torch
import torch.nn.functional as F

from helpers import assert_tensor_close, randn, visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("bias", [True, False])
def test_gradcheck_float64(ex, bias):
    layer = ex.CustomLinear(3, 2, bias=bias).to(torch.float64)
    x = randn(4, 3, seed=10, dtype=torch.float64).requires_grad_()
    params = [p for p in layer.parameters()]
    assert len(params) == (2 if bias else 1), f"expected {2 if bias else 1} parameters, got {len(params)}"

    def run(inp, *weights):
        # functional_call swaps in the tensors gradcheck perturbs
        names = [name for name, _ in layer.named_parameters()]
        return torch.func.functional_call(layer, dict(zip(names, weights)), (inp,))

    assert torch.autograd.gradcheck(run, (x, *[p.detach().clone().requires_grad_() for p in params]),
                                    eps=1e-6, atol=1e-5)


def test_an_optimizer_step_updates_both_parameters(ex):
    layer, _ = visible.make_pair(ex, 4, 2, seed=11)
    before = {name: p.detach().clone() for name, p in layer.named_parameters()}
    optimizer = torch.optim.SGD(layer.parameters(), lr=0.1)
    loss = layer(randn(8, 4, seed=12)).pow(2).mean()
    loss.backward()
    grads = {name: p.grad.clone() for name, p in layer.named_parameters()}
    optimizer.step()
    for name, p in layer.named_parameters():
        assert_tensor_close(p, before[name] - 0.1 * grads[name], atol=1e-6, rtol=1e-6,
                            what=f"{name} after one SGD step")


def test_learns_a_linear_map(ex):
    torch.manual_seed(13)
    layer = ex.CustomLinear(3, 1)
    x = randn(64, 3, seed=14)
    y = x @ torch.tensor([[1.5], [-2.0], [0.5]]) + 0.3
    optimizer = torch.optim.SGD(layer.parameters(), lr=0.2)
    first = None
    for _ in range(100):
        optimizer.zero_grad()
        loss = F.mse_loss(layer(x), y)
        first = loss.item() if first is None else first
        loss.backward()
        optimizer.step()
    assert loss.item() < 1e-3 * first, f"loss went from {first:.4f} to {loss.item():.4f}: the layer does not learn"


@pytest.mark.parametrize("in_features,out_features,shape", [(1, 5, (7, 1)), (8, 1, (2, 3, 4, 8)), (3, 3, (3,))])
def test_other_shapes_match_f_linear(ex, in_features, out_features, shape):
    layer, reference = visible.make_pair(ex, in_features, out_features, seed=15)
    x = randn(*shape, seed=16)
    assert_tensor_close(layer(x), F.linear(x, reference.weight, reference.bias), atol=1e-6, rtol=1e-6,
                        what=f"output of CustomLinear({in_features}, {out_features}) for input {shape}",
                        hint="a square layer hides a transposed weight: use x @ weight.T")


def test_square_layer_uses_the_transpose(ex):
    layer, reference = visible.make_pair(ex, 4, 4, seed=17)
    x = randn(3, 4, seed=18)
    assert_tensor_close(layer(x), reference(x), atol=1e-6, rtol=1e-6, what="output of a square layer",
                        hint="x @ weight instead of x @ weight.T: the shapes agree, the values do not")


def test_bias_free_layer_moves_and_round_trips(ex):
    layer, reference = visible.make_pair(ex, 5, 2, bias=False, seed=19)
    layer.to(torch.float64)
    assert layer.bias is None and layer.weight.dtype == torch.float64, "a bias-free layer must move with .to()"
    assert sum(p.numel() for p in layer.parameters()) == 10, "a bias-free CustomLinear(5, 2) has 10 parameters"
    x = randn(3, 5, seed=20, dtype=torch.float64)
    assert_tensor_close(layer(x), F.linear(x, reference.weight.double()), atol=1e-10, rtol=1e-10,
                        what="float64 output without bias")


@pytest.mark.parametrize("in_features", [1, 3, 1000])
def test_init_bound_scales_with_in_features(ex, in_features):
    torch.manual_seed(21)
    layer = ex.CustomLinear(in_features, 64)
    bound = 1 / math.sqrt(in_features)
    for name in ("weight", "bias"):
        values = getattr(layer, name).detach()
        assert values.abs().max().item() <= bound + 1e-7, f"{name} exceeds the nn.Linear bound {bound:.4f}"
        assert values.abs().max().item() > 0.5 * bound, f"{name} is far narrower than nn.Linear's (+-{bound:.4f})"


def test_zero_in_features_gives_a_zero_bias(ex):
    # nn.Linear(0, n) is legal: fan_in 0 gives the bound 0, so the bias is drawn from U(0, 0)
    torch.manual_seed(22)
    try:
        layer = ex.CustomLinear(0, 3)
    except ZeroDivisionError:
        raise AssertionError("CustomLinear(0, 3) raised ZeroDivisionError; expected the bound 0 that nn.Linear uses "
                             "when in_features == 0; likely cause: 1/sqrt(in_features) without a guard") from None
    assert tuple(layer.weight.shape) == (3, 0), f"expected weight shape (3, 0), got {tuple(layer.weight.shape)}"
    assert_tensor_close(layer.bias, torch.zeros(3), atol=0, rtol=0, what="bias of CustomLinear(0, 3)",
                        hint="with in_features == 0 the bound is 0, like nn.Linear's, not 1 or 1/sqrt(1)")


def test_reset_parameters_redraws(ex):
    layer = ex.CustomLinear(16, 8)
    with torch.no_grad():
        layer.weight.fill_(5.0)
        layer.bias.fill_(5.0)
    layer.reset_parameters()
    bound = 1 / math.sqrt(16)
    assert layer.weight.abs().max().item() <= bound and layer.bias.abs().max().item() <= bound, (
        "reset_parameters() did not redraw weight and bias within +-1/sqrt(in_features)")


def test_sizes_are_recorded(ex):
    layer = ex.CustomLinear(7, 2)
    assert (layer.in_features, layer.out_features) == (7, 2), (
        f"expected in_features=7, out_features=2, got {layer.in_features}, {layer.out_features}")
