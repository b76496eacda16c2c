"""05_data/iterable_sharding: every item exactly once, with and without worker processes.

The multi-worker tests start real DataLoader worker processes (fork, the Linux default), so they are marked slow.
"""

from collections import Counter

import pytest
import torch
from torch.utils.data import DataLoader, IterableDataset


def loaded_items(dataset, num_workers: int, batch_size: int | None = 2) -> list[int]:
    loader = DataLoader(dataset, batch_size=batch_size, num_workers=num_workers)
    items = []
    for batch in loader:
        items += batch.tolist() if isinstance(batch, torch.Tensor) and batch.dim() else [int(batch)]
    return items


def assert_each_once(items: list[int], start: int, end: int, num_workers: int) -> None:
    counts = Counter(items)
    duplicated = sorted(item for item, count in counts.items() if count > 1)
    assert not duplicated, (
        f"with num_workers={num_workers}, items {duplicated[:10]} came out more than once: every worker iterated "
        "its own copy of the whole range; shard it with get_worker_info().id and .num_workers")
    missing = sorted(set(range(start, end)) - set(counts))
    assert not missing, (
        f"with num_workers={num_workers}, items {missing[:10]} never came out: the workers' shares must cover the "
        "whole range (a chunk size rounded down loses the remainder)")
    extra = sorted(set(counts) - set(range(start, end)))
    assert not extra, f"with num_workers={num_workers}, items {extra[:10]} are outside range({start}, {end})"


def test_main_process_yields_the_whole_range_every_time(ex):
    stream = ex.RangeStream(3, 9)
    assert isinstance(stream, IterableDataset), "RangeStream must subclass torch.utils.data.IterableDataset"
    first, second = list(stream), list(stream)
    kinds = sorted({type(item).__name__ for item in first})
    assert kinds == ["int"], (
        f"expected RangeStream to yield Python ints, got items of type {kinds}; likely cause: iterating a "
        "torch.arange (0-d tensors) instead of a range")
    assert first == [3, 4, 5, 6, 7, 8], f"expected list(RangeStream(3, 9)) == [3, ..., 8], got {first}"
    assert second == first, (
        f"a second pass gave {second}: __iter__ must start a new iteration each time (an iterator made once in "
        "__init__ is exhausted after the first epoch)")


def test_loader_without_workers(ex):
    items = loaded_items(ex.RangeStream(0, 7), num_workers=0)
    assert items == list(range(7)), f"expected 0..6 in order without workers, got {items}"


@pytest.mark.slow
def test_two_workers_give_every_item_once(ex):
    items = loaded_items(ex.RangeStream(0, 10), num_workers=2)
    assert_each_once(items, 0, 10, num_workers=2)


@pytest.mark.slow
def test_three_workers_give_every_item_once(ex):
    items = loaded_items(ex.RangeStream(0, 11), num_workers=3)
    assert_each_once(items, 0, 11, num_workers=3)
