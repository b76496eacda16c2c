"""05_data/custom_dataset: a map-style Dataset with the dtypes a classifier needs."""

import itertools

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from helpers import assert_is_tensor, assert_shape, assert_tensor_equal


def make_table(rows: int = 5, cols: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """float64 features (what numpy and pandas hand you) and labels stored as floats (1.0, 0.0, 2.0, ...)."""
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(rows, cols))
    labels = (np.arange(rows) % 3).astype(np.float64)
    return features, labels


def check_item(item, features: np.ndarray, labels: np.ndarray, index: int) -> None:
    assert isinstance(item, tuple) and len(item) == 2, (
        f"expected ds[{index}] to be a tuple (x, y), got {type(item).__name__}")
    x, y = item
    assert_is_tensor(x, what=f"x of ds[{index}]")
    assert x.dtype == torch.float32, (
        f"x of ds[{index}]: expected dtype torch.float32, got {x.dtype}; numpy hands you float64, which nn.Linear "
        "weights (float32) refuse: convert with dtype=torch.float32")
    assert_shape(x, (features.shape[1],), what=f"x of ds[{index}]", hint="return one row, not the whole table")
    assert_is_tensor(y, what=f"y of ds[{index}]")
    assert y.dtype == torch.int64, (
        f"y of ds[{index}]: expected dtype torch.int64 (class ids for CrossEntropyLoss), got {y.dtype}; "
        "likely the labels were converted as floats (torch.tensor(y, dtype=torch.float32) or torch.Tensor(y))")
    assert_shape(y, (), what=f"y of ds[{index}]", hint="return the label of one row as a 0-d tensor")
    assert_tensor_equal(x, torch.as_tensor(features[index], dtype=torch.float32), what=f"x of ds[{index}]")
    assert int(y) == int(labels[index]), f"y of ds[{index}]: expected label {int(labels[index])}, got {int(y)}"


def test_len_dtypes_and_values(ex):
    features, labels = make_table()
    ds = ex.TabularDataset(features, labels)
    assert len(ds) == 5, f"expected len(ds) == 5 (the number of rows), got {len(ds)}"
    for index in range(len(ds)):
        check_item(ds[index], features, labels, index)


def test_transform_is_applied_on_every_fetch(ex):
    features, labels = make_table()
    seen_shapes = []

    def times_ten(x: torch.Tensor) -> torch.Tensor:
        seen_shapes.append(tuple(x.shape))
        return x * 10

    ds = ex.TabularDataset(features, labels, transform=times_ten)
    first, again, other = ds[1], ds[1], ds[4]
    assert seen_shapes == [(3,), (3,), (3,)], (
        f"expected the transform called once per fetch on a (3,) row, three calls in all; it saw {seen_shapes} "
        "(apply it inside __getitem__, to the one row, not once to the whole table in __init__)")
    assert_tensor_equal(first[0], torch.as_tensor(features[1], dtype=torch.float32) * 10, what="x of ds[1]",
                        hint="return the transform's output")
    assert_tensor_equal(again[0], first[0], what="x of a second ds[1]")
    assert_tensor_equal(other[0], torch.as_tensor(features[4], dtype=torch.float32) * 10, what="x of ds[4]")


def test_index_past_the_end_raises_index_error(ex):
    features, labels = make_table(rows=4)
    ds = ex.TabularDataset(features, labels)
    with pytest.raises(IndexError):
        ds[4]
    # Without __iter__, `for x in ds` calls ds[0], ds[1], ... until IndexError; islice guards against a wrap-around.
    items = list(itertools.islice(iter(ds), 10))
    assert len(items) == 4, (
        f"iterating a 4-row dataset with `for x in ds` gave {len(items)} items (stopped by islice at 10); "
        "ds[4] must raise IndexError, not wrap around or return something")


def test_mismatched_lengths_raise_value_error(ex):
    features, labels = make_table(rows=5)
    with pytest.raises(ValueError):
        ex.TabularDataset(features, labels[:4])


def test_works_in_a_dataloader(ex):
    features, labels = make_table(rows=5)
    loader = DataLoader(ex.TabularDataset(features, labels), batch_size=2)
    batches = list(loader)
    assert len(batches) == 3, f"expected 3 batches (2 + 2 + 1 rows), got {len(batches)}"
    xs = torch.cat([x for x, _ in batches])
    ys = torch.cat([y for _, y in batches])
    assert_tensor_equal(xs, torch.as_tensor(features, dtype=torch.float32), what="all x from the DataLoader")
    assert_tensor_equal(ys, torch.as_tensor(labels).long(), what="all y from the DataLoader",
                        hint="labels must be int64 class ids")
