"""01_tensors/creation_dtypes: dtypes of features and labels, and memory shared only when asked for."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from helpers import assert_is_tensor, assert_tensor_close, assert_tensor_equal


def torch_dtype_of(arr: np.ndarray) -> torch.dtype:
    """The torch dtype that holds the same numbers as a NumPy dtype (float64 -> torch.float64, ...)."""
    return torch.from_numpy(np.zeros(1, dtype=arr.dtype)).dtype


def source_array(dtype, shape=(2, 3)) -> np.ndarray:
    """0, 1, 2, ... in ``dtype``: small whole numbers every dtype holds exactly."""
    return np.arange(int(np.prod(shape))).reshape(shape).astype(dtype)


def check_shares(tensor, arr: np.ndarray, what: str = "share_numpy(arr)") -> None:
    """Type, dtype and shape first, then one write through each side that the other must see."""
    assert_is_tensor(tensor, what)
    assert tensor.dtype == torch_dtype_of(arr), (
        f"{what}: expected dtype {torch_dtype_of(arr)} (the array's own), got {tensor.dtype}; likely cause: a "
        "dtype conversion, which can only be done by copying")
    assert tuple(tensor.shape) == arr.shape, f"{what}: expected shape {arr.shape}, got {tuple(tensor.shape)}"
    index = tuple(size - 1 for size in arr.shape)
    shown = ", ".join(map(str, index))
    arr[index] = 7
    assert tensor[index].item() == 7, (
        f"{what}: after `arr[{shown}] = 7` the tensor still holds {tensor[index].item()}, so it is a copy, not a "
        "view of the array's memory; likely cause: torch.tensor() always copies (torch.from_numpy shares)")
    tensor[(0,) * arr.ndim] = 5
    assert arr[(0,) * arr.ndim] == 5, (
        f"{what}: after writing 5 into the tensor the array still holds {arr[(0,) * arr.ndim]}: the memory is "
        "not shared")


def check_independent(tensor, arr: np.ndarray, what: str = "copy_numpy(arr)") -> None:
    """Same dtype and values as ``arr``, and writes to either side leave the other alone."""
    original = arr.copy()
    expected = torch.from_numpy(original.copy())
    assert_tensor_equal(tensor, expected, what=what, hint="the copy must keep the array's dtype and values")
    arr[...] = 1
    assert_tensor_equal(tensor, expected, what=f"{what} after the array was overwritten with ones",
                        hint="the tensor shares the array's memory: torch.from_numpy and torch.as_tensor never "
                             "copy a NumPy array they can view; torch.tensor always copies")
    arr[...] = original
    tensor.fill_(0)
    assert np.array_equal(arr, original), (
        f"{what}: writing zeros into the tensor changed the array to {arr.tolist()}: the memory is shared")


def test_features_from_int_lists_are_float32(ex):
    features = ex.as_float32([[1, 2, 3], [4, 5, 6]])
    assert_tensor_equal(features, torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), what="as_float32(int lists)",
                        hint="torch.tensor infers int64 from Python ints; ask for dtype=torch.float32")


def test_features_from_float64_numpy_are_float32(ex):
    arr = np.linspace(-1.0, 1.0, 6).reshape(2, 3)  # NumPy's default float is float64
    features = ex.as_float32(arr)
    assert_tensor_equal(features, torch.tensor(arr, dtype=torch.float32), what="as_float32(float64 array)",
                        hint="torch.tensor/torch.from_numpy keep NumPy's float64; models expect float32")


def test_labels_are_int64(ex):
    labels = ex.as_labels([0, 2, 1, 2])
    assert_tensor_equal(labels, torch.tensor([0, 2, 1, 2], dtype=torch.int64), what="as_labels([0, 2, 1, 2])",
                        hint="torch.Tensor(list) always makes float32; use torch.tensor / torch.as_tensor")


def test_labels_read_as_floats_work_in_cross_entropy(ex):
    logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0], [1.0, 1.0, 1.0]])
    labels = ex.as_labels([0.0, 2.0, 1.0])
    assert_tensor_equal(labels, torch.tensor([0, 2, 1]), what="as_labels([0.0, 2.0, 1.0])",
                        hint="whole-number float labels must become int64 class indices")
    assert_tensor_close(F.cross_entropy(logits, labels), F.cross_entropy(logits, torch.tensor([0, 2, 1])),
                        atol=1e-6, rtol=1e-6, what="cross_entropy with the converted labels")


def test_fractional_label_raises_value_error(ex):
    try:
        labels = ex.as_labels([0.0, 1.5, 2.0])
    except ValueError:
        return
    raise AssertionError(f"as_labels([0.0, 1.5, 2.0]): expected ValueError, got {labels!r}; likely cause: "
                         ".long() truncates 1.5 to class 1 without a word; check the floats are whole first")


@pytest.mark.parametrize("dtype", [np.float32, np.int64])
def test_share_numpy_sees_writes_both_ways(ex, dtype):
    arr = source_array(dtype)
    check_shares(ex.share_numpy(arr), arr)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_copy_numpy_never_shares(ex, dtype):
    arr = source_array(dtype)
    check_independent(ex.copy_numpy(arr), arr)
