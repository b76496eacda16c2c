"""05_data/iterable_sharding, hidden: uneven lengths, offsets, more workers than items, several epochs."""

import pytest
from torch.utils.data import DataLoader

from helpers import visible_tests

visible = visible_tests(__file__)


@pytest.mark.slow
def test_uneven_length_with_an_offset_over_two_epochs(ex):
    loader = DataLoader(ex.RangeStream(5, 16), batch_size=3, num_workers=2)
    for epoch in range(2):
        items = [item for batch in loader for item in batch.tolist()]
        visible.assert_each_once(items, 5, 16, num_workers=2)


@pytest.mark.slow
def test_more_workers_than_items(ex):
    items = visible.loaded_items(ex.RangeStream(7, 8), num_workers=2, batch_size=None)
    visible.assert_each_once(items, 7, 8, num_workers=2)


@pytest.mark.slow
def test_a_longer_stream(ex):
    items = visible.loaded_items(ex.RangeStream(100, 161), num_workers=2, batch_size=8)
    visible.assert_each_once(items, 100, 161, num_workers=2)


def test_empty_and_offset_ranges_in_the_main_process(ex):
    assert list(ex.RangeStream(4, 4)) == [], "RangeStream(4, 4) must be empty"
    assert list(ex.RangeStream(-3, 2)) == [-3, -2, -1, 0, 1], "RangeStream(-3, 2) must yield -3..1"


@pytest.mark.slow
def test_four_workers_on_two_items_with_an_offset(ex):
    items = visible.loaded_items(ex.RangeStream(5, 7), num_workers=4, batch_size=None)
    visible.assert_each_once(items, 5, 7, num_workers=4)
