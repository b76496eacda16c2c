"""02_autograd/custom_function, hidden: other eps and lambdas, boundaries, in-place edits, repeated calls."""

import pytest
import torch

from helpers import assert_finite, assert_tensor_close, randn, visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("eps", [1e-3, 0.5])
def test_safelog_custom_eps_gradcheck_and_values(ex, eps):
    x = (torch.rand(2, 3, generator=torch.Generator().manual_seed(20), dtype=torch.float64) * 2 + eps + 0.1)
    assert torch.autograd.gradcheck(lambda t: ex.SafeLog.apply(t, eps), (x.requires_grad_(),), eps=1e-6, atol=1e-6,
                                    raise_exception=False), (
        f"gradcheck failed for SafeLog with eps={eps} on x > eps: expected grad_output / x there")
    below = torch.tensor([eps / 2, 0.0, -5.0], dtype=torch.float64)
    out = ex.SafeLog.apply(below, eps)
    assert_tensor_close(out, torch.full((3,), eps, dtype=torch.float64).log(), atol=1e-12, rtol=0,
                        what=f"SafeLog.apply(x, {eps}) for x below eps", hint="use the eps argument, not a constant")
    grad = visible.grad_of(lambda t: ex.SafeLog.apply(t, eps), below)
    assert_tensor_close(grad, torch.zeros(3, dtype=torch.float64), atol=0, rtol=0,
                        what=f"SafeLog's gradient below eps={eps}", hint="exactly 0 where the clamp is active")


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("eps", [0.5, 2.0 ** -10])
def test_safelog_keeps_the_gradient_at_exactly_eps(ex, eps, dtype):
    # eps is exactly representable in both dtypes, so x == eps holds whichever side does the comparison
    x = torch.tensor([eps, 2 * eps, eps / 2], dtype=dtype)
    upstream = torch.tensor([1.0, 3.0, 1.0], dtype=dtype)
    grad = visible.grad_of(lambda t: ex.SafeLog.apply(t, eps), x, upstream)
    expected = torch.tensor([1.0 / eps, 1.5 / eps, 0.0], dtype=dtype)
    assert_tensor_close(grad, expected, atol=0, rtol=1e-6, what=f"SafeLog's gradient at x = (eps, 2 eps, eps / 2), "
                        f"eps={eps}, {dtype}",
                        hint="the clamp is active only where x < eps: at x == eps the gradient is still "
                             "grad_output / x (compare with x >= eps, not x > eps)")


def test_safelog_random_signs_give_finite_exact_gradients(ex):
    x = randn(4, 5, seed=21)
    x[0, :2] = 0.0
    upstream = randn(4, 5, seed=22)
    grad = visible.grad_of(ex.SafeLog.apply, x, upstream)
    assert_finite(grad, what="SafeLog's gradient on inputs with zeros and negatives",
                  hint="0 * (1 / 0) is NaN: select with torch.where instead of multiplying by a mask")
    expected = torch.where(x >= 1e-6, upstream / x.clamp(min=1e-6), torch.zeros_like(x))
    assert_tensor_close(grad, expected, atol=1e-6, rtol=1e-5, what="SafeLog's gradient on a random (4, 5) input")


def test_ste_clip_boundary_is_inclusive(ex):
    x = torch.tensor([-1.0, 1.0, -1.0001, 1.0001, 0.999])
    grad = visible.grad_of(ex.StraightThroughSign.apply, x)
    assert_tensor_close(grad, torch.tensor([1.0, 1.0, 0.0, 0.0, 1.0]), atol=0, rtol=0,
                        what="StraightThroughSign's gradient at x = (-1, 1, -1.0001, 1.0001, 0.999)",
                        hint="the gradient passes where |x| <= 1, boundary included")


def test_ste_random_float64_batch(ex):
    x = randn(3, 7, seed=23, dtype=torch.float64) * 2
    upstream = randn(3, 7, seed=24, dtype=torch.float64)
    out = ex.StraightThroughSign.apply(x)
    grad = visible.grad_of(ex.StraightThroughSign.apply, x, upstream)
    assert_tensor_close(out, torch.sign(x), atol=0, rtol=0, what="StraightThroughSign forward in float64")
    assert_tensor_close(grad, upstream * (x.abs() <= 1), atol=0, rtol=0, what="StraightThroughSign gradient in float64",
                        hint="the gradient keeps grad_output's dtype and values where |x| <= 1")


@pytest.mark.parametrize("lambda_", [0.0, 1.0, 0.125])
def test_grad_reverse_other_lambdas_and_shapes(ex, lambda_):
    x = randn(2, 3, 4, seed=25, dtype=torch.float64)
    upstream = randn(2, 3, 4, seed=26, dtype=torch.float64)
    grad = visible.grad_of(lambda t: ex.GradReverse.apply(t, lambda_), x, upstream)
    assert_tensor_close(grad, -lambda_ * upstream, atol=1e-12, rtol=0, what=f"GradReverse gradient, lambda_={lambda_}",
                        hint="use the lambda_ passed to this call (saved on ctx), not a fixed or class-level value")


def test_grad_reverse_lambda_belongs_to_each_call(ex):
    a, b = torch.ones(2, requires_grad=True), torch.ones(2, requires_grad=True)
    out_a = ex.GradReverse.apply(a, 0.5)
    out_b = ex.GradReverse.apply(b, 3.0)
    out_a.sum().backward()
    out_b.sum().backward()
    assert_tensor_close(a.grad, torch.full((2,), -0.5), atol=0, rtol=0, what="gradient of the first of two calls",
                        hint="lambda_ was stored outside ctx and overwritten by the second call")
    assert_tensor_close(b.grad, torch.full((2,), -3.0), atol=0, rtol=0, what="gradient of the second of two calls")


@pytest.mark.parametrize("name", ["SafeLog", "StraightThroughSign"])
def test_editing_the_input_after_forward_never_gives_silently_wrong_gradients(ex, name):
    """With save_for_backward, autograd notices the edit (version counter) and raises; a saved copy also works."""
    fn = getattr(ex, name).apply
    original = torch.tensor([0.5, 0.8, 2.0])
    leaf = original.clone().requires_grad_()
    hidden = leaf * 1.0
    out = fn(hidden)
    with torch.no_grad():
        hidden.mul_(3.0)  # now (1.5, 2.4, 6.0): a different gradient for both functions
    try:
        out.sum().backward()
    except RuntimeError as err:
        assert "modified by an inplace operation" in str(err), f"unexpected error from backward: {err}"
        return
    assert_tensor_close(leaf.grad, visible.grad_of(fn, original), atol=1e-6, rtol=1e-6,
                        what=f"{name}: gradient after the input was edited in place following forward",
                        hint="backward read the edited tensor from a ctx attribute; ctx.save_for_backward would "
                             "have raised instead of computing a wrong gradient")


@pytest.mark.parametrize("name", ["SafeLog", "StraightThroughSign"])
def test_repeated_use_accumulates_nothing_unexpected(ex, name):
    fn = getattr(ex, name).apply
    x = torch.tensor([0.5, 0.9, 3.0])
    expected = visible.grad_of(fn, x)
    for _ in range(3):
        assert_tensor_close(visible.grad_of(fn, x), expected, atol=0, rtol=0,
                            what=f"{name}: gradient of a repeated call", hint="state leaked from an earlier call")
    leaf = x.clone().requires_grad_()
    fn(leaf).sum().backward()
    fn(leaf).sum().backward()
    assert_tensor_close(leaf.grad, 2 * expected, atol=1e-6, rtol=0, what=f"{name}: leaf.grad after two backward passes",
                        hint="each backward adds its own gradient into .grad once")
