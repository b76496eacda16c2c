"""01_tensors/nan_inf, hidden: all-NaN slices, inf in means, other dims and dtypes, 3-D rows, fresh results."""

import pytest
import torch

from helpers import assert_tensor_close, assert_tensor_equal, randn, visible_tests

visible = visible_tests(__file__)
NAN, INF = visible.NAN, visible.INF


def test_nan_safe_mean_of_an_all_nan_slice_is_nan(ex):
    x = torch.tensor([[NAN, NAN], [1.0, NAN]])
    out = ex.nan_safe_mean(x, dim=1)
    assert out.shape == (2,), f"expected shape (2,), got {tuple(out.shape)}"
    assert bool(out[0].isnan()), (
        f"nan_safe_mean of an all-NaN row: expected NaN (nothing to average, as torch.nanmean), got {out[0].item()}")
    assert out[1].item() == 1.0, f"nan_safe_mean([1, nan]): expected 1.0, got {out[1].item()}"


def test_nan_safe_mean_keeps_infinite_readings(ex):
    x = torch.tensor([[1.0, INF, NAN], [-INF, 2.0, 3.0], [1.0, 3.0, NAN]])
    out = ex.nan_safe_mean(x, dim=1)
    assert_tensor_equal(out, torch.tensor([INF, -INF, 2.0]), what="nan_safe_mean with +-inf readings",
                        hint="only NaN is skipped; inf is a real (saturated) reading and stays in the mean")


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_nan_safe_mean_of_3d_float64(ex, dim):
    x = randn(3, 4, 5, seed=10, dtype=torch.float64)
    x[torch.rand(3, 4, 5, generator=torch.Generator().manual_seed(11)) < 0.3] = NAN
    expected = visible.reference_nan_mean(x, dim)
    out = ex.nan_safe_mean(x, dim=dim)
    assert_tensor_close(out.nan_to_num(-99.0), expected.nan_to_num(-99.0), atol=1e-12, rtol=1e-12,
                        what=f"nan_safe_mean(float64 x (3, 4, 5), dim={dim})",
                        hint="keep the dtype, reduce along the given dim, NaN only where a slice is all NaN")


def test_nan_safe_mean_without_nan_is_the_plain_mean(ex):
    x = randn(4, 3, seed=12)
    assert_tensor_close(ex.nan_safe_mean(x, dim=1), x.mean(dim=1), atol=1e-6, rtol=1e-6,
                        what="nan_safe_mean of a clean tensor")


def test_nan_safe_mean_leaves_the_input_alone(ex):
    x = visible.sensor_batch(seed=13)
    nan_before = x.isnan().clone()
    assert_tensor_close(ex.nan_safe_mean(x, dim=1), visible.reference_nan_mean(x.clone(), 1), atol=1e-6, rtol=1e-6,
                        what="nan_safe_mean(sensor batch (6, 4), dim=1)")
    assert torch.equal(x.isnan(), nan_before), "nan_safe_mean overwrote the NaNs of the caller's tensor in place"


@pytest.mark.parametrize("value", [0.0, -1.0, 0.5])
def test_replace_nonfinite_float64_values(ex, value):
    x = visible.sensor_batch(seed=14).double()
    expected = torch.where(torch.isfinite(x), x, torch.full_like(x, value))
    assert_tensor_equal(ex.replace_nonfinite(x, value), expected, what=f"replace_nonfinite(float64 x, {value})",
                        hint="every NaN, +inf and -inf becomes value, other entries and the dtype stay")


def test_replace_nonfinite_returns_a_new_tensor_even_when_clean(ex):
    x = randn(3, 3, seed=15)
    before = x.clone()
    out = ex.replace_nonfinite(x, 0.0)
    assert_tensor_equal(out, before, what="replace_nonfinite of a clean tensor")
    out.fill_(7.0)
    assert_tensor_equal(x, before, what="x after writing into replace_nonfinite's result",
                        hint="the result must be a new tensor, not x itself")


def test_nonfinite_rows_of_3d_readings(ex):
    x = randn(5, 2, 3, seed=16)
    x[0, 1, 2] = -INF
    x[3, 0, 0] = NAN
    x[4] = INF
    assert_tensor_equal(ex.nonfinite_rows(x), torch.tensor([0, 3, 4]), what="nonfinite_rows(x (5, 2, 3))",
                        hint="a row is x[i] with all its trailing dims: look at every entry of it")


def test_nonfinite_rows_ignores_huge_finite_values_and_finds_every_bad_row(ex):
    x = torch.tensor([[3e38, -3e38], [INF, 1.0], [-INF, NAN], [NAN, NAN]])
    assert_tensor_equal(ex.nonfinite_rows(x), torch.tensor([1, 2, 3]), what="nonfinite_rows(huge and non-finite)",
                        hint="3e38 is large but finite; a row counts if any of its entries is NaN or +-inf")


def test_nonfinite_rows_with_only_negative_infinity(ex):
    x = randn(4, 2, seed=17)
    x[2, 1] = -INF
    assert_tensor_equal(ex.nonfinite_rows(x), torch.tensor([2]), what="nonfinite_rows with one -inf",
                        hint="torch.isinf / ~torch.isfinite catch -inf too; isnan and x != x do not")
