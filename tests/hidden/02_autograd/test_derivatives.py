"""02_autograd/derivatives, hidden: finite differences in float64, tracked inputs, no_grad callers, matrices."""

import math

import pytest
import torch

from helpers import assert_no_graph, assert_tensor_close, randn, visible_tests

visible = visible_tests(__file__)


def log_sum_exp_of_square(x: torch.Tensor) -> torch.Tensor:
    return torch.logsumexp(x * x.roll(1), dim=0)


def tanh_quadratic(x: torch.Tensor) -> torch.Tensor:
    matrix = torch.linspace(-1.0, 1.0, x.numel() ** 2, dtype=x.dtype).reshape(x.numel(), x.numel())
    return torch.tanh(x @ matrix @ x) + x.pow(2).mean()


def central_differences(f, x: torch.Tensor, step: float = 1e-6) -> torch.Tensor:
    """What gradcheck compares against: (f(x + h e_i) - f(x - h e_i)) / 2h for every i, in float64."""
    grad = torch.zeros_like(x)
    flat = grad.view(-1)
    for i in range(x.numel()):
        offset = torch.zeros_like(x).view(-1)
        offset[i] = step
        offset = offset.view_as(x)
        flat[i] = (f(x + offset) - f(x - offset)) / (2 * step)
    return grad


@pytest.mark.parametrize("f", [log_sum_exp_of_square, tanh_quadratic, visible.x_sin_x], ids=lambda f: f.__name__)
@pytest.mark.parametrize("seed", [10, 11])
def test_derivative_agrees_with_finite_differences_in_float64(ex, f, seed):
    x = randn(4, seed=seed, dtype=torch.float64)
    result = ex.derivative(f, x)
    assert_tensor_close(result, central_differences(f, x), atol=1e-7, rtol=1e-6,
                        what=f"derivative of {f.__name__} (float64)",
                        hint="the result should be the float64 gradient of f at x, shaped like x")


def test_a_tracked_input_keeps_its_flag_and_its_gradient(ex):
    x = randn(3, seed=12).requires_grad_()
    stale = torch.full((3,), 7.0)
    x.grad = stale.clone()
    result = ex.derivative(visible.cubic_sum, x)
    assert_tensor_close(result, 3 * x.detach() ** 2, atol=1e-5, rtol=1e-5, what="derivative at a tracked x",
                        hint="a gradient already sitting in x.grad was added in: " + visible.ACCUMULATES)
    assert x.requires_grad, "the caller's x required grad before the call and no longer does"
    assert_tensor_close(x.grad, stale, atol=0, rtol=0, what="the caller's x.grad after derivative()",
                        hint=visible.ACCUMULATES)
    assert_no_graph(result, what="derivative()'s result for a tracked x",
                    hint="compute on a detached copy so the result is not linked to the caller's graph")


def test_jvp_of_a_tracked_input_returns_a_plain_tensor(ex):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    result = ex.jacobian_vector_product(visible.three_outputs, x, torch.tensor([1.0, 1.0]))
    assert_no_graph(result, what="jacobian_vector_product() at a tracked x",
                    hint="the result is still linked to the caller's graph: detach x (or the result)")
    assert x.grad is None, "jacobian_vector_product() wrote into the caller's x.grad"


def test_works_inside_a_no_grad_block(ex):
    x = randn(4, seed=13)
    with torch.no_grad():
        grad = ex.derivative(visible.cubic_sum, x)
        jvp = ex.jacobian_vector_product(lambda t: t ** 2, x, torch.ones(4))
        assert not torch.is_grad_enabled(), "derivative() left gradients switched on for a caller inside no_grad()"
    assert_tensor_close(grad, 3 * x ** 2, atol=1e-5, rtol=1e-5, what="derivative() called inside torch.no_grad()",
                        hint="switch gradients back on locally with `with torch.enable_grad():`")
    assert_tensor_close(jvp, 2 * x, atol=1e-5, rtol=1e-5, what="jacobian_vector_product() inside torch.no_grad()",
                        hint="switch gradients back on locally with `with torch.enable_grad():`")


def test_square_but_asymmetric_jacobian(ex):
    matrix = torch.tensor([[1.0, 2.0, 0.0], [0.0, 1.0, 3.0], [4.0, 0.0, 1.0]])
    v = torch.tensor([1.0, -1.0, 2.0])
    result = ex.jacobian_vector_product(lambda t: torch.sin(matrix @ t), torch.zeros(3), v)
    assert_tensor_close(result, matrix @ v, atol=1e-6, rtol=1e-6, what="J @ v for f(x) = sin(A x) at x = 0",
                        hint=f"got {result.tolist() if isinstance(result, torch.Tensor) else result}, "
                             f"and v @ A would be {(v @ matrix).tolist()}: compute J @ v, not v @ J")


def test_matrix_inputs(ex):
    inputs, weights = randn(3, 4, seed=14, dtype=torch.float64), randn(4, 2, seed=15, dtype=torch.float64)
    grad = ex.derivative(lambda t: (t @ weights).pow(2).sum(), inputs)
    assert_tensor_close(grad, 2 * (inputs @ weights) @ weights.T, atol=1e-10, rtol=1e-10,
                        what="derivative of sum((X W)^2) with respect to a (3, 4) X",
                        hint="the gradient has X's shape and dtype")
    direction = randn(3, 4, seed=16, dtype=torch.float64)
    jvp = ex.jacobian_vector_product(lambda t: t @ weights, inputs, direction)
    assert_tensor_close(jvp, direction @ weights, atol=1e-10, rtol=1e-10,
                        what="J @ V for f(X) = X W with X of shape (3, 4)", hint="the result has f(X)'s shape (3, 2)")


@pytest.mark.parametrize("name", list(visible.ANALYTIC))
def test_derivative_is_exact_in_float64(ex, name):
    f, grad_f = visible.ANALYTIC[name]
    x = randn(5, seed=17, dtype=torch.float64)
    assert_tensor_close(ex.derivative(f, x), grad_f(x), atol=1e-12, rtol=1e-12,
                        what=f"derivative of {name} at a float64 x, against its analytic gradient",
                        hint="the result must be autograd's exact gradient in x's dtype; a finite difference is "
                             "only an approximation (about 1e-10 off even in float64)")


@pytest.mark.parametrize("direction", [(1.0, 0.0), (0.5, -2.0)])
def test_jvp_is_exact_in_float64(ex, direction):
    x = torch.tensor([1.0, 2.0], dtype=torch.float64)
    v = torch.tensor(direction, dtype=torch.float64)
    jacobian = torch.tensor([[2.0, 1.0], [2.0, 0.0], [0.0, math.cos(2.0)]], dtype=torch.float64)
    assert_tensor_close(ex.jacobian_vector_product(visible.three_outputs, x, v), jacobian @ v, atol=1e-12,
                        rtol=1e-12, what=f"J @ v at a float64 x=(1, 2), v={direction}",
                        hint="the result must be the exact J @ v in x's dtype (double backward or forward-mode "
                             "AD); (f(x + h v) - f(x - h v)) / 2h is only an approximation")
