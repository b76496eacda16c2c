"""01_tensors/einsum, hidden: random shapes (size-1 dims too), float64, gradients, nn.Bilinear's layout."""

import pytest
import torch
import torch.nn.functional as F

from helpers import assert_tensor_close, assert_vectorised, randn, visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("seed", range(4))
def test_bilinear_on_random_shapes(ex, seed):
    g = torch.Generator().manual_seed(100 + seed)
    b, i, j, o = (int(size) for size in torch.randint(1, 7, (4,), generator=g))
    visible.check_bilinear(ex, b, i, j, o, seed=200 + seed)


@pytest.mark.parametrize("seed", range(4))
def test_attention_on_random_shapes(ex, seed):
    g = torch.Generator().manual_seed(300 + seed)
    b, h, lq, lk, d = (int(size) for size in torch.randint(1, 6, (5,), generator=g))
    visible.check_attention(ex, b, h, lq, lk, d, seed=400 + seed)


@pytest.mark.parametrize("shape", [(1, 1, 1, 1), (1, 4, 2, 3), (5, 2, 1, 1)])
def test_bilinear_with_size_one_dims(ex, shape):
    visible.check_bilinear(ex, *shape, seed=500)


def test_bilinear_uses_nn_bilinear_weight_layout(ex):
    x, W, y = visible.bilinear_inputs(4, 2, 3, 5, seed=600)
    assert_tensor_close(ex.batched_bilinear(x, W, y), F.bilinear(x, y, W), atol=1e-5, rtol=1e-5,
                        what="batched_bilinear compared with F.bilinear(x, y, W)",
                        hint="W[o, i, j] pairs i with x and j with y, as in nn.Bilinear")


def test_float64_is_kept(ex):
    visible.check_bilinear(ex, 3, 4, 2, 5, seed=700, dtype=torch.float64)
    visible.check_attention(ex, 2, 2, 3, 5, 4, seed=701, dtype=torch.float64)


def test_gradients_match_the_reference(ex):
    x, W, y = (t.requires_grad_() for t in visible.bilinear_inputs(3, 4, 2, 5, seed=800, dtype=torch.float64))
    q = randn(2, 2, 3, 4, seed=801, dtype=torch.float64).requires_grad_()
    k = randn(2, 2, 5, 4, seed=802, dtype=torch.float64).requires_grad_()
    (ex.batched_bilinear(x, W, y).sin().sum() + ex.attention_scores(q, k).cos().sum()).backward()
    got = [t.grad.clone() for t in (x, W, y, q, k)]
    for t in (x, W, y, q, k):
        t.grad = None
    (visible.bilinear_reference(x, W, y).sin().sum() + visible.attention_reference(q, k).cos().sum()).backward()
    for name, grad, t in zip("xWyqk", got, (x, W, y, q, k)):
        assert_tensor_close(grad, t.grad, atol=1e-10, rtol=1e-10, what=f"gradient with respect to {name}",
                            hint="the result must stay in the autograd graph (no .detach(), .item() or NumPy)")


def test_attention_is_vectorised_over_heads(ex):
    heads = {n: (randn(2, n, 3, 4, seed=n), randn(2, n, 3, 4, seed=n + 1)) for n in (3, 12)}
    assert_vectorised(lambda n: ex.attention_scores(*heads[n]), small=3, large=12,
                      what="attention_scores with H = 3 and H = 12 heads")


def test_bilinear_is_vectorised_over_outputs(ex):
    x, y = randn(4, 3, seed=900), randn(4, 2, seed=901)
    weights = {n: randn(n, 3, 2, seed=n) for n in (3, 12)}
    assert_vectorised(lambda n: ex.batched_bilinear(x, weights[n], y), small=3, large=12,
                      what="batched_bilinear with O = 3 and O = 12 outputs")
