"""Stream a range of record ids with several DataLoader workers, every record exactly once.

Scenario (003 Q87). Log records are streamed from a store, so the dataset is an ``IterableDataset``: no
``__len__``, no random access, just ``__iter__``. With ``num_workers=2`` every record came out twice: each worker
process gets its own copy of the dataset and, unless the dataset shards itself, iterates all of it.

Task: ``RangeStream(start, end)`` yields the ints ``start, start + 1, ..., end - 1``. In ``__iter__`` ask
``torch.utils.data.get_worker_info()``: in the main process (it returns ``None``) yield the whole range; inside a
worker yield only that worker's share (it knows ``.id`` and ``.num_workers``), so that the shares of all workers
are disjoint and together cover the range, for any length and any number of workers (even more workers than
items). Every call to ``iter()`` starts over, so the stream can be read once per epoch.
"""

from __future__ import annotations

from typing import Iterator

from torch.utils.data import IterableDataset, get_worker_info


class RangeStream(IterableDataset):
    def __init__(self, start: int, end: int) -> None:
        super().__init__()
        self.start = start
        self.end = end

    def __iter__(self) -> Iterator[int]:
        raise NotImplementedError("05_data/iterable_sharding: yield the whole range in the main process, and only "
                                  "this worker's share (get_worker_info()) inside a worker")
