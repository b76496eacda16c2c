"""01_tensors/creation_dtypes, hidden: more input kinds and dtypes, strided arrays, label edge cases."""

import numpy as np
import pytest
import torch

from helpers import assert_tensor_equal, visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("data,expected", [
    (3, torch.tensor(3.0)),
    (((1, 2), (3, 4)), torch.tensor([[1.0, 2.0], [3.0, 4.0]])),
    ([], torch.zeros(0)),
    (np.array([[1, 0], [255, 7]], dtype=np.uint8), torch.tensor([[1.0, 0.0], [255.0, 7.0]])),
    (np.array([1, -2, 3], dtype=np.int32), torch.tensor([1.0, -2.0, 3.0])),
    (np.array([True, False]), torch.tensor([1.0, 0.0])),
    (np.array([0.1, 1e-8, 3.3e5]), torch.tensor([0.1, 1e-8, 3.3e5], dtype=torch.float32)),
], ids=["scalar", "nested-tuples", "empty", "uint8", "int32", "bool", "float64"])
def test_features_from_many_inputs_are_float32(ex, data, expected):
    assert_tensor_equal(ex.as_float32(data), expected, what=f"as_float32({data!r})",
                        hint="convert with dtype=torch.float32 whatever the input's own dtype")


@pytest.mark.parametrize("data,expected", [
    (np.array([3, 0, 1], dtype=np.int32), torch.tensor([3, 0, 1])),
    (np.array([[0, 1], [1, 2]], dtype=np.uint8), torch.tensor([[0, 1], [1, 2]])),
    (np.array([4.0, 0.0, 2.0]), torch.tensor([4, 0, 2])),
    ([[-100, 1], [2, -100]], torch.tensor([[-100, 1], [2, -100]])),
    (5, torch.tensor(5)),
], ids=["int32", "uint8-mask", "float64-whole", "ignore-index", "scalar"])
def test_labels_from_many_inputs_are_int64(ex, data, expected):
    assert_tensor_equal(ex.as_labels(data), expected, what=f"as_labels({data!r})",
                        hint="labels must be int64 with the input's shape")


@pytest.mark.parametrize("data", [
    np.array([0.0, 2.7]), [[1.0, 0.999]], [0.0, float("nan")], np.array([-0.5, 1.0], dtype=np.float32),
    [1.0, float("inf")], np.array([-np.inf, 0.0]),
], ids=["numpy", "nearly-whole", "nan", "float32-negative", "inf", "minus-inf"])
def test_non_whole_labels_raise_value_error(ex, data):
    try:
        labels = ex.as_labels(data)
    except ValueError:
        return
    raise AssertionError(f"as_labels({data!r}): expected ValueError, got {labels!r}; likely cause: the float labels "
                         "were cast without checking they are whole numbers (NaN and inf are not whole numbers "
                         "either, and inf == inf.round())")


@pytest.mark.parametrize("data", [[16_777_217, 0], np.array([2**53 + 1, 3], dtype=np.int64)],
                         ids=["above-float32-precision", "above-float64-precision"])
def test_large_integer_labels_keep_their_exact_values(ex, data):
    expected = torch.tensor(np.asarray(data, dtype=np.int64))
    assert_tensor_equal(ex.as_labels(data), expected, what=f"as_labels({data!r})",
                        hint="integer labels went through a float dtype, which rounds integers above 2**24 "
                             "(float32) or 2**53 (float64); only check float inputs for fractions, and cast "
                             "integer inputs straight to int64")


@pytest.mark.parametrize("dtype", [np.float64, np.uint8, np.int32, np.float16])
def test_share_numpy_keeps_every_dtype(ex, dtype):
    arr = visible.source_array(dtype, shape=(3, 2))
    visible.check_shares(ex.share_numpy(arr), arr)


@pytest.mark.parametrize("view", ["transposed", "column", "every-other-row"])
def test_share_numpy_on_strided_arrays(ex, view):
    base = visible.source_array(np.float32, shape=(4, 3))
    arr = {"transposed": base.T, "column": base[:, 1], "every-other-row": base[::2]}[view]
    visible.check_shares(ex.share_numpy(arr), arr, what=f"share_numpy({view} view of an array)")


@pytest.mark.parametrize("dtype", [np.float16, np.uint8, np.int32])
def test_copy_numpy_keeps_every_dtype(ex, dtype):
    arr = visible.source_array(dtype, shape=(2, 2))
    visible.check_independent(ex.copy_numpy(arr), arr)


def test_copy_numpy_of_a_strided_view(ex):
    base = visible.source_array(np.float64, shape=(4, 3))
    arr = base.T[:, ::2]
    copy = ex.copy_numpy(arr)
    visible.check_independent(copy, arr, what="copy_numpy(strided view)")
    assert np.array_equal(base, visible.source_array(np.float64, shape=(4, 3))), (
        "copy_numpy changed the array it was given")


def test_copies_made_in_a_row_are_independent_of_each_other(ex):
    arr = visible.source_array(np.float32)
    first, second = ex.copy_numpy(arr), ex.copy_numpy(arr)
    first.add_(10)
    assert_tensor_equal(second, torch.from_numpy(visible.source_array(np.float32)), what="a second copy",
                        hint="both copies share one buffer")
