"""01_tensors/einsum: contractions equal their matmul references, with rows and columns in the right order."""

import math

import torch

from helpers import assert_tensor_close, assert_vectorised, randn


def bilinear_reference(x: torch.Tensor, W: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """With matmul only: (B, I) @ (O, I, J) broadcasts to (O, B, J); times y and summed over J gives (O, B)."""
    return ((x @ W) * y).sum(dim=-1).T


def attention_reference(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])


def call(fn, *args, what: str, layout: str):
    """Runs ``fn(*args)``, turning an einsum shape error into a failure that names the expected layout."""
    try:
        return fn(*args)
    except NotImplementedError:
        raise
    except RuntimeError as err:
        raise AssertionError(f"{what} raised RuntimeError: {str(err).splitlines()[0]}\n  likely cause: the einsum "
                             f"subscripts do not match the operands, which are laid out as {layout}") from None


def bilinear_inputs(b: int, i: int, j: int, o: int, seed: int, dtype=torch.float32):
    x = randn(b, i, seed=seed, dtype=dtype)
    W = randn(o, i, j, seed=seed + 1, dtype=dtype)
    y = randn(b, j, seed=seed + 2, dtype=dtype)
    return x, W, y


def check_bilinear(ex, b: int, i: int, j: int, o: int, seed: int, hint: str = "", dtype=torch.float32) -> None:
    x, W, y = bilinear_inputs(b, i, j, o, seed, dtype)
    tol = 1e-5 if dtype == torch.float32 else 1e-12
    what = f"batched_bilinear with B={b}, I={i}, J={j}, O={o}"
    out = call(ex.batched_bilinear, x, W, y, what=what, layout="x (B, I), W (O, I, J), y (B, J)")
    assert_tensor_close(out, bilinear_reference(x, W, y), atol=tol, rtol=tol, what=what,
                        hint=hint or "out[b, o] = sum_ij x[b, i] * W[o, i, j] * y[b, j]: output indices 'bo'")


def check_attention(ex, b: int, h: int, lq: int, lk: int, d: int, seed: int, hint: str = "",
                    dtype=torch.float32) -> None:
    q, k = randn(b, h, lq, d, seed=seed, dtype=dtype), randn(b, h, lk, d, seed=seed + 1, dtype=dtype)
    tol = 1e-5 if dtype == torch.float32 else 1e-12
    what = f"attention_scores with B={b}, H={h}, Lq={lq}, Lk={lk}, D={d}"
    out = call(ex.attention_scores, q, k, what=what, layout="q (B, H, Lq, D), k (B, H, Lk, D)")
    assert_tensor_close(out, attention_reference(q, k), atol=tol, rtol=tol, what=what,
                        hint=hint or "out[b, h, i, j] = q[b, h, i] . k[b, h, j] / sqrt(D)")


def test_bilinear_matches_matmul_reference(ex):
    check_bilinear(ex, b=4, i=3, j=5, o=2, seed=1)


def test_bilinear_with_square_shapes(ex):
    check_bilinear(ex, b=3, i=3, j=3, o=3, seed=4,
                   hint="with B == O and I == J every index order has the right shape; x must pair with W's "
                        "second index (i), y with its third (j), and the output is indexed 'bo', not 'ob'")


def test_attention_scores_matches_matmul_reference(ex):
    check_attention(ex, b=2, h=3, lq=4, lk=6, d=5, seed=7,
                    hint="expected one row per query and one column per key, divided by sqrt(D)")


def test_attention_scores_with_as_many_queries_as_keys(ex):
    check_attention(ex, b=2, h=2, lq=4, lk=4, d=8, seed=9,
                    hint="with Lq == Lk a transposed result has the right shape: the output indices must list "
                         "the query index before the key index")


def test_contractions_are_vectorised_over_the_batch(ex):
    bilinear = {n: bilinear_inputs(n, 3, 4, 2, seed=n) for n in (3, 12)}
    assert_vectorised(lambda n: ex.batched_bilinear(*bilinear[n]), small=3, large=12,
                      what="batched_bilinear with B = 3 and B = 12")
    queries = {n: (randn(n, 2, 3, 4, seed=n), randn(n, 2, 5, 4, seed=n + 1)) for n in (3, 12)}
    assert_vectorised(lambda n: ex.attention_scores(*queries[n]), small=3, large=12,
                      what="attention_scores with B = 3 and B = 12")
