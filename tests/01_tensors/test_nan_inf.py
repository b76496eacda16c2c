"""01_tensors/nan_inf: means that skip NaN, cleaning that catches inf too, and the rows that hold them."""

import torch

from helpers import assert_finite, assert_tensor_close, assert_tensor_equal, randn

NAN, INF = float("nan"), float("inf")


def reference_nan_mean(x: torch.Tensor, dim: int) -> torch.Tensor:
    """Slice by slice: the plain mean of the entries that are not NaN."""
    slices = x.movedim(dim, -1)
    flat = slices.reshape(-1, slices.shape[-1])
    means = torch.stack([row[~torch.isnan(row)].mean() for row in flat])
    return means.reshape(slices.shape[:-1])


def sensor_batch(seed: int) -> torch.Tensor:
    """(6, 4) readings with NaN (dropped) in rows 1 and 4, +inf in row 2 and -inf in row 5 (saturated)."""
    x = randn(6, 4, seed=seed)
    x[1, 2] = x[4, 0] = x[4, 3] = NAN
    x[2, 1] = INF
    x[5, 3] = -INF
    return x


def test_nan_safe_mean_skips_nan(ex):
    x = torch.tensor([[1.0, NAN, 3.0], [NAN, 2.0, 4.0], [5.0, 6.0, 7.0]])
    out = ex.nan_safe_mean(x, dim=1)
    assert_finite(out, what="nan_safe_mean(x, dim=1) with one NaN in two of the rows",
                  hint="a single NaN makes x.mean() NaN; average only the entries that are not NaN")
    assert_tensor_close(out, torch.tensor([2.0, 3.0, 6.0]), atol=1e-6, rtol=1e-6,
                        what="nan_safe_mean(x, dim=1)",
                        hint="divide by the number of non-NaN entries, not by the row length (replacing NaN with "
                             "0 and then calling mean() counts them)")


def test_nan_safe_mean_along_dim_0(ex):
    x = torch.where(torch.arange(20).reshape(5, 4) % 3 == 0, NAN, randn(5, 4, seed=1))
    assert_tensor_close(ex.nan_safe_mean(x, dim=0), reference_nan_mean(x, 0), atol=1e-6, rtol=1e-6,
                        what="nan_safe_mean(x (5, 4), dim=0)", hint="reduce along dim and remove it")


def test_replace_nonfinite_replaces_nan_and_both_infs(ex):
    x = torch.tensor([1.0, NAN, INF, -INF, -2.0])
    assert_tensor_equal(ex.replace_nonfinite(x, 0.0), torch.tensor([1.0, 0.0, 0.0, 0.0, -2.0]),
                        what="replace_nonfinite([1, nan, inf, -inf, -2], 0.0)",
                        hint="x != x is True only for NaN and misses inf; torch.isfinite catches both (and "
                             "torch.nan_to_num turns inf into the largest float unless told posinf/neginf)")


def test_replace_nonfinite_leaves_the_input_alone(ex):
    x = sensor_batch(seed=2)
    before = x.clone()
    out = ex.replace_nonfinite(x, -1.0)
    assert_finite(out, what="replace_nonfinite(sensor batch, -1.0)")
    assert torch.equal(x.isnan(), before.isnan()) and torch.equal(x.nan_to_num(), before.nan_to_num()), (
        "replace_nonfinite changed the caller's tensor in place; expected x untouched and a new tensor returned "
        "(clone before assigning into it, or use torch.where / torch.nan_to_num)")


def test_nonfinite_rows_finds_nan_and_inf_rows(ex):
    assert_tensor_equal(ex.nonfinite_rows(sensor_batch(seed=3)), torch.tensor([1, 2, 4, 5]),
                        what="nonfinite_rows(batch with NaN in rows 1, 4, +inf in row 2, -inf in row 5)",
                        hint="x != x finds only NaN; use ~torch.isfinite(x), then .any() over each row's entries "
                             "and the indices of the True rows, as int64 (shape (k,))")


def test_nonfinite_rows_of_a_clean_batch_is_empty(ex):
    assert_tensor_equal(ex.nonfinite_rows(randn(4, 3, seed=4)), torch.zeros(0, dtype=torch.int64),
                        what="nonfinite_rows(clean batch)", hint="expected an empty int64 tensor of shape (0,)")
