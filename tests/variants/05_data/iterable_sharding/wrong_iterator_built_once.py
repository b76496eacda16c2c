"""Known-wrong: caches the iterator on the instance, so a second iter() in the same process is empty."""
from __future__ import annotations

from typing import Iterator

from torch.utils.data import IterableDataset, get_worker_info


class RangeStream(IterableDataset):
    def __init__(self, start: int, end: int) -> None:
        super().__init__()
        self.start = start
        self.end = end

        self._it = None

    def __iter__(self) -> Iterator[int]:
        if self._it is None:
            info = get_worker_info()
            if info is None:
                self._it = iter(range(self.start, self.end))
            else:
                self._it = iter(range(self.start + info.id, self.end, info.num_workers))
        return self._it
