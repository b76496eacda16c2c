"""05_data/custom_dataset, hidden: other input types, negative indices, shuffled loading, random transforms."""

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from helpers import assert_tensor_equal, randn, visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("kind", ["list", "tensor"])
def test_lists_and_tensors_are_converted_too(ex, kind):
    features, labels = visible.make_table(rows=6, cols=2, seed=3)
    if kind == "list":
        given_features, given_labels = features.tolist(), labels.astype(int).tolist()
    else:
        given_features = torch.from_numpy(features)  # float64
        given_labels = torch.from_numpy(labels.astype(np.int32))
    ds = ex.TabularDataset(given_features, given_labels)
    assert len(ds) == 6
    for index in range(6):
        visible.check_item(ds[index], features, labels, index)


def test_negative_index_counts_from_the_end(ex):
    features, labels = visible.make_table(rows=4, seed=1)
    ds = ex.TabularDataset(features, labels)
    visible.check_item(ds[-1], features, labels, 3)
    visible.check_item(ds[-4], features, labels, 0)
    for past in (4, 7, -5):
        with pytest.raises(IndexError):
            ds[past]
            pytest.fail(f"ds[{past}] of a 4-row dataset should raise IndexError (past the end), it returned")


def test_shuffled_loader_keeps_rows_and_labels_together(ex):
    rows = 11
    features = np.stack([np.arange(rows, dtype=np.float64), np.arange(rows) * 0.5], axis=1)  # column 0 = row id
    labels = (np.arange(rows) * 7 % 4).astype(np.float64)
    loader = DataLoader(ex.TabularDataset(features, labels), batch_size=4, shuffle=True,
                        generator=torch.Generator().manual_seed(0))
    seen = []
    for x, y in loader:
        assert x.dtype == torch.float32 and y.dtype == torch.int64, f"got batch dtypes {x.dtype}, {y.dtype}"
        for row, label in zip(x[:, 0].tolist(), y.tolist()):
            expected = int(labels[int(row)])
            assert label == expected, f"row {int(row)} came with label {label}, expected {expected}"
            seen.append(int(row))
    assert sorted(seen) == list(range(rows)), f"expected every row exactly once, got {sorted(seen)}"


def test_random_transform_gives_a_fresh_draw_each_fetch(ex):
    features, labels = visible.make_table(rows=3, seed=2)
    generator = torch.Generator().manual_seed(5)
    ds = ex.TabularDataset(features, labels, transform=lambda x: x + torch.randn(x.shape, generator=generator))
    first, second = ds[0][0], ds[0][0]
    assert not torch.equal(first, second), (
        "fetching ds[0] twice gave the same augmented row: the random transform ran once (in __init__?) "
        "instead of on every fetch")
    clean = ex.TabularDataset(features, labels)
    assert_tensor_equal(clean[0][0], torch.as_tensor(features[0], dtype=torch.float32), what="x without transform",
                        hint="a random transform must not change the stored data")


def test_float32_input_stays_correct(ex):
    features = randn(7, 4, seed=9)
    labels = torch.tensor([0, 1, 2, 3, 0, 1, 2])
    ds = ex.TabularDataset(features, labels)
    assert len(ds) == 7
    x, y = ds[5]
    assert_tensor_equal(x, features[5], what="x of ds[5]")
    assert y.dtype == torch.int64 and int(y) == 1, f"expected y == tensor(1) (int64), got {y!r}"
