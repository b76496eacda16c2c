"""01_tensors/broadcasting, hidden: other shapes and dtypes, loops over M, custom eps, inputs left alone."""

import pytest
import torch

from helpers import assert_finite, assert_tensor_close, assert_tensor_equal, assert_vectorised, randn, visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("n,m,d", [(1, 1, 1), (7, 2, 3), (2, 9, 1), (6, 6, 6), (3, 5, 16)])
def test_pairwise_for_many_shapes(ex, n, m, d):
    visible.check_distances(ex, randn(n, d, seed=n + 20), randn(m, d, seed=m + 40))


def test_pairwise_keeps_float64(ex):
    a, b = randn(4, 3, seed=21, dtype=torch.float64), randn(6, 3, seed=22, dtype=torch.float64)
    assert_tensor_close(ex.pairwise_sq_distances(a, b), visible.brute_force_sq_distances(a, b), atol=1e-10,
                        rtol=1e-10, what="pairwise_sq_distances(float64 inputs)",
                        hint="keep the inputs' dtype (no .float() on the way)")


def test_pairwise_is_vectorised_over_the_gallery_too(ex):
    a = randn(4, 3, seed=23)
    gallery = {m: randn(m, 3, seed=m) for m in (3, 12)}
    assert_vectorised(lambda m: ex.pairwise_sq_distances(a, gallery[m]), small=3, large=12,
                      what="pairwise_sq_distances with M = 3 and M = 12 gallery rows")
    visible.check_distances(ex, a, gallery[12])


def test_pairwise_shared_rows_are_zero_and_never_negative(ex):
    a = randn(10, 4, seed=24) * 4 + 50
    b = torch.cat([a[3:8], randn(3, 4, seed=25) * 4 + 50])
    out = ex.pairwise_sq_distances(a, b)
    assert bool((out >= 0).all()), (
        f"expected no negative squared distance, got minimum {out.min().item():.3g}; clamp the expansion at 0")
    assert_tensor_close(out[3:8, :5].diagonal(), torch.zeros(5), atol=0.1, rtol=0,
                        what="distances between identical rows")


def test_pairwise_leaves_inputs_unchanged(ex):
    a, b = randn(3, 2, seed=26), randn(4, 2, seed=27)
    a_before, b_before = a.clone(), b.clone()
    assert_tensor_close(ex.pairwise_sq_distances(a, b), visible.brute_force_sq_distances(a_before, b_before),
                        atol=1e-4, rtol=1e-4, what="pairwise_sq_distances(a (3, 2), b (4, 2))")
    assert_tensor_equal(a, a_before, what="a after pairwise_sq_distances", hint="an in-place op on the input")
    assert_tensor_equal(b, b_before, what="b after pairwise_sq_distances", hint="an in-place op on the input")


def test_normalize_rows_is_vectorised(ex):
    rows = {n: randn(n, 5, seed=n) for n in (3, 12)}
    assert_vectorised(lambda n: ex.normalize_rows(rows[n]), small=3, large=12,
                      what="normalize_rows with N = 3 and N = 12 rows")


def test_normalize_rows_uses_the_given_eps(ex):
    x = torch.tensor([[3.0, 4.0], [1e-6, 0.0], [0.0, 0.0]])
    out = ex.normalize_rows(x, eps=1e-3)
    assert_finite(out, what="normalize_rows(x, eps=1e-3)")
    assert_tensor_close(out, torch.tensor([[0.6, 0.8], [1e-3, 0.0], [0.0, 0.0]]), atol=1e-7, rtol=1e-6,
                        what="normalize_rows(x, eps=1e-3)",
                        hint="a row whose norm (1e-6) is below eps is divided by eps, not by its norm: use the "
                             "eps argument rather than a constant")


def test_normalize_rows_divides_by_max_of_norm_and_eps_not_their_sum(ex):
    # eps = 0.5 sits between the two norms: a row of norm 1 is divided by 1, a row of norm 0.05 by 0.5
    x = torch.tensor([[0.6, 0.8], [0.03, 0.04], [0.0, 0.0]], dtype=torch.float64)
    out = ex.normalize_rows(x, eps=0.5)
    assert_tensor_close(out, torch.tensor([[0.6, 0.8], [0.06, 0.08], [0.0, 0.0]], dtype=torch.float64),
                        atol=1e-12, rtol=1e-12, what="normalize_rows(x, eps=0.5)",
                        hint="the divisor is max(norm, eps) (clamp_min(eps)); x / (norm + eps) shrinks every row, "
                             "and clamping the squared norm at eps gives max(norm, sqrt(eps))")


def test_normalize_rows_default_eps_is_tiny(ex):
    x = torch.tensor([[3e-6, 4e-6], [0.0, 0.0]], dtype=torch.float64)
    assert_tensor_close(ex.normalize_rows(x), torch.tensor([[0.6, 0.8], [0.0, 0.0]], dtype=torch.float64),
                        atol=1e-12, rtol=1e-9, what="normalize_rows(x with a row of norm 5e-6), default eps",
                        hint="the default eps is 1e-12, far below any real norm: a row of norm 5e-6 still comes "
                             "out with norm 1")


def test_normalize_rows_float64_and_all_zero_input(ex):
    x = randn(3, 4, seed=28, dtype=torch.float64)
    assert_tensor_close(ex.normalize_rows(x), visible.brute_force_normalize(x, 1e-12), atol=1e-12, rtol=1e-12,
                        what="normalize_rows(float64 x)", hint="keep the input's dtype")
    zeros = torch.zeros(3, 4)
    assert_tensor_equal(ex.normalize_rows(zeros), torch.zeros(3, 4), what="normalize_rows(all zeros)",
                        hint="0 / max(0, eps) is 0; 0 / 0 is NaN")


def test_normalize_rows_leaves_input_unchanged(ex):
    x = randn(4, 3, seed=29)
    before = x.clone()
    assert_tensor_close(ex.normalize_rows(x), visible.brute_force_normalize(before, 1e-12), atol=1e-6, rtol=1e-5,
                        what="normalize_rows(x (4, 3))")
    assert_tensor_equal(x, before, what="x after normalize_rows(x)",
                        hint="`x /= norms` divides the caller's tensor in place; return x / norms")
