"""02_autograd/derivatives: gradients and Jacobian-vector products that leave no trace on the caller's tensors."""

import math

import pytest
import torch

from helpers import assert_no_graph, assert_tensor_close, randn

ACCUMULATES = "backward() adds into x.grad on every call: use torch.autograd.grad, which returns the gradient"


def cubic_sum(x: torch.Tensor) -> torch.Tensor:
    return (x ** 3).sum()


def x_sin_x(x: torch.Tensor) -> torch.Tensor:
    return (x * torch.sin(x)).sum()


def softplus_of_dot(x: torch.Tensor) -> torch.Tensor:
    weights = torch.arange(1.0, x.numel() + 1.0, dtype=x.dtype)
    return torch.nn.functional.softplus(weights @ x)


def softplus_of_dot_gradient(x: torch.Tensor) -> torch.Tensor:
    weights = torch.arange(1.0, x.numel() + 1.0, dtype=x.dtype)
    return torch.sigmoid(weights @ x) * weights


ANALYTIC = {
    "sum(x^3)": (cubic_sum, lambda x: 3 * x ** 2),
    "sum(x sin x)": (x_sin_x, lambda x: torch.sin(x) + x * torch.cos(x)),
    "softplus(w.x)": (softplus_of_dot, softplus_of_dot_gradient),
}


def three_outputs(x: torch.Tensor) -> torch.Tensor:
    """f(x0, x1) = (x0 * x1, x0^2, sin x1); its Jacobian is [[x1, x0], [2 x0, 0], [0, cos x1]]."""
    return torch.stack([x[0] * x[1], x[0] ** 2, torch.sin(x[1])])


def test_derivative_of_x_squared_at_3_is_6(ex):
    x = torch.tensor(3.0)
    result = ex.derivative(lambda t: t ** 2, x)
    assert_tensor_close(result, torch.tensor(6.0), atol=1e-6, rtol=0, what="derivative(x**2) at x=3",
                        hint="return d f / d x (a tensor shaped like x), not f(x)")


@pytest.mark.parametrize("name", list(ANALYTIC))
def test_derivative_matches_the_analytic_gradient(ex, name):
    f, grad_f = ANALYTIC[name]
    x = randn(5, seed=1)
    result = ex.derivative(f, x)
    assert_tensor_close(result, grad_f(x), atol=1e-5, rtol=1e-5, what=f"derivative of {name}",
                        hint="the gradient of f at x, shaped like x")


def test_calling_twice_gives_the_same_answer(ex):
    x = randn(4, seed=2)
    first = ex.derivative(cubic_sum, x)
    second = ex.derivative(cubic_sum, x)
    expected = 3 * x ** 2
    assert_tensor_close(second, expected, atol=1e-5, rtol=1e-5, what="the second derivative() call", hint=ACCUMULATES)
    assert_tensor_close(first, expected, atol=1e-5, rtol=1e-5, what="the first result, after a second call",
                        hint="the first result is the caller's x.grad, which the second call added to: " + ACCUMULATES)


def test_callers_tensor_is_left_alone(ex):
    x = randn(4, seed=3)
    result = ex.derivative(x_sin_x, x)
    assert not x.requires_grad, (
        "derivative() switched on requires_grad on the caller's tensor; expected it left False "
        "(track a detached copy instead: x.detach().requires_grad_())")
    assert x.grad is None, f"derivative() left a gradient in the caller's x.grad ({x.grad}); expected None"
    assert_no_graph(result, what="derivative()'s result",
                    hint="the gradient was built with create_graph=True or is still attached to the graph")


def test_jvp_of_a_non_square_linear_map(ex):
    matrix = randn(3, 2, seed=4)
    x, v = randn(2, seed=5), randn(2, seed=6)
    result = ex.jacobian_vector_product(lambda t: matrix @ t, x, v)
    assert_tensor_close(result, matrix @ v, atol=1e-5, rtol=1e-5, what="J @ v for f(x) = A @ x with A of shape (3, 2)",
                        hint="the Jacobian is A, so the answer is A @ v, shaped like f(x): v @ A is the other product")


@pytest.mark.parametrize("direction", [(1.0, 0.0), (0.0, 1.0), (0.5, -2.0)])
def test_jvp_matches_the_hand_computed_jacobian(ex, direction):
    x, v = torch.tensor([1.0, 2.0]), torch.tensor(direction)
    jacobian = torch.tensor([[2.0, 1.0], [2.0, 0.0], [0.0, math.cos(2.0)]])
    result = ex.jacobian_vector_product(three_outputs, x, v)
    assert_tensor_close(result, jacobian @ v, atol=1e-6, rtol=1e-6, what=f"J @ v at x=(1, 2), v={direction}",
                        hint="J has one row per output of f and one column per element of x; return J @ v")


def test_jvp_leaves_no_trace(ex):
    x, v = torch.tensor([1.0, 2.0]), torch.tensor([0.5, -2.0])
    first = ex.jacobian_vector_product(three_outputs, x, v)
    second = ex.jacobian_vector_product(three_outputs, x, v)
    assert_tensor_close(second, first, atol=0, rtol=0, what="a second jacobian_vector_product() call",
                        hint="something carried over from the first call")
    assert_no_graph(second, what="jacobian_vector_product()'s result", hint="detach the result before returning it")
    assert not x.requires_grad and x.grad is None, (
        f"expected the caller's x untouched, got requires_grad={x.requires_grad}, grad={x.grad}")
