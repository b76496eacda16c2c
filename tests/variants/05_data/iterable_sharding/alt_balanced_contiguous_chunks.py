"""Known-correct alternative: contiguous balanced chunks via divmod instead of a stride."""
from __future__ import annotations

from typing import Iterator

from torch.utils.data import IterableDataset, get_worker_info


class RangeStream(IterableDataset):
    def __init__(self, start: int, end: int) -> None:
        super().__init__()
        self.start = start
        self.end = end

    def _bounds(self, worker: int, workers: int) -> tuple[int, int]:
        n = max(self.end - self.start, 0)
        base, extra = divmod(n, workers)
        lo = self.start + worker * base + min(worker, extra)
        return lo, lo + base + (1 if worker < extra else 0)

    def __iter__(self) -> Iterator[int]:
        info = get_worker_info()
        lo, hi = (self.start, self.end) if info is None else self._bounds(info.id, info.num_workers)
        for i in range(lo, hi):
            yield i
