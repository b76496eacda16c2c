"""01_tensors/broadcasting: pairwise distances and row normalisation, vectorised, exact and NaN-free."""

import torch

from helpers import assert_finite, assert_tensor_close, assert_vectorised, randn


def call(fn, *args, what: str, hint: str, **kwargs):
    """Runs ``fn``, turning a broadcasting RuntimeError into a failure with a hint."""
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        raise
    except RuntimeError as err:
        first_line = str(err).splitlines()[0]
        raise AssertionError(f"{what} raised RuntimeError: {first_line}\n  likely cause: {hint}") from None


PAIRWISE_SHAPES = ("(N, D) and (M, D) broadcast only after adding axes: a[:, None, :] - b[None, :, :] is (N, M, D); "
                   "an element-wise `a * b` needs N == M")
NORMALIZE_SHAPES = ("norms of shape (N,) line up with x's last dim (D), not its rows; keep them as an (N, 1) column "
                    "with keepdim=True")


def brute_force_sq_distances(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The slow, obviously right version: one pair at a time."""
    out = torch.empty(len(a), len(b), dtype=a.dtype)
    for i in range(len(a)):
        for j in range(len(b)):
            out[i, j] = ((a[i] - b[j]) ** 2).sum()
    return out


def brute_force_normalize(x: torch.Tensor, eps: float) -> torch.Tensor:
    return torch.stack([row / max(row.norm().item(), eps) for row in x])


def check_distances(ex, a: torch.Tensor, b: torch.Tensor, hint: str = "") -> torch.Tensor:
    what = f"pairwise_sq_distances(a of shape {tuple(a.shape)}, b of shape {tuple(b.shape)})"
    out = call(ex.pairwise_sq_distances, a, b, what=what, hint=PAIRWISE_SHAPES)
    assert_tensor_close(out, brute_force_sq_distances(a, b), atol=1e-4, rtol=1e-4, what=what,
                        hint=hint or "out[i, j] must be the squared distance between a[i] and b[j]")
    return out


def test_pairwise_matches_brute_force(ex):
    check_distances(ex, randn(5, 4, seed=1), randn(3, 4, seed=2),
                    hint="expected shape (N, M); broadcast a as (N, 1, D) against b as (1, M, D), or use "
                         "|a|^2 + |b|^2 - 2 a @ b.T")


def test_pairwise_on_square_batches(ex):
    check_distances(ex, randn(4, 4, seed=3), randn(4, 4, seed=4),
                    hint="`a * b` multiplies element by element and only looks like the cross term when the shapes "
                         "happen to match; every row of a against every row of b is `a @ b.T`")


def test_pairwise_never_negative(ex):
    a = randn(12, 5, seed=0) * 3 + 30  # large, close vectors: the expansion's cancellation is at its worst
    out = ex.pairwise_sq_distances(a, a)
    assert bool((out >= 0).all()), (
        f"pairwise_sq_distances(a, a): expected no negative squared distance, got minimum {out.min().item():.3g}; "
        "likely cause: rounding in |a|^2 + |b|^2 - 2 a.b; clamp it at 0 (a later sqrt would give NaN)")
    assert_tensor_close(out.diagonal(), torch.zeros(12), atol=0.05, rtol=0,
                        what="pairwise_sq_distances(a, a).diagonal()", hint="the distance of a point to itself is 0")


def test_pairwise_is_vectorised(ex):
    b = randn(5, 4, seed=5)
    queries = {n: randn(n, 4, seed=n) for n in (3, 12)}
    assert_vectorised(lambda n: ex.pairwise_sq_distances(queries[n], b), small=3, large=12,
                      what="pairwise_sq_distances with N = 3 and N = 12 queries")
    check_distances(ex, queries[12], b)


def test_normalize_rows_matches_reference(ex):
    x = randn(5, 3, seed=6)
    out = call(ex.normalize_rows, x, what="normalize_rows(x of shape (5, 3))", hint=NORMALIZE_SHAPES)
    assert_tensor_close(out, brute_force_normalize(x, 1e-12), atol=1e-6, rtol=1e-5,
                        what="normalize_rows(x of shape (5, 3))", hint="divide every row by its own L2 norm")


def test_normalize_rows_on_a_square_matrix(ex):
    x = randn(4, 4, seed=7)
    assert_tensor_close(ex.normalize_rows(x), brute_force_normalize(x, 1e-12), atol=1e-6, rtol=1e-5,
                        what="normalize_rows(x of shape (4, 4))",
                        hint="norms of shape (N,) broadcast against (N, D) as (1, N): row i gets divided by the norms "
                             "of all rows; keep them as a column with keepdim=True")


def test_normalize_rows_leaves_a_zero_row_at_zero(ex):
    x = randn(4, 3, seed=8)
    x[2] = 0.0
    out = call(ex.normalize_rows, x, eps=1e-12, what="normalize_rows(x of shape (4, 3))", hint=NORMALIZE_SHAPES)
    assert_finite(out, what="normalize_rows(x with an all-zero row)",
                  hint="0 / 0 is NaN: divide by the norm clamped to at least eps")
    assert_tensor_close(out, brute_force_normalize(x, 1e-12), atol=1e-6, rtol=1e-5,
                        what="normalize_rows(x with an all-zero row)",
                        hint="the zero row must stay zeros and the others must have norm 1")
