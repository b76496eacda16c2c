"""Known-wrong: contiguous chunks of ceil(n / workers) not clipped at end, so the last worker yields past end - 1."""
from __future__ import annotations

from typing import Iterator

from torch.utils.data import IterableDataset, get_worker_info

import math

class RangeStream(IterableDataset):
    def __init__(self, start: int, end: int) -> None:
        super().__init__()
        self.start = start
        self.end = end

    def __iter__(self) -> Iterator[int]:
        info = get_worker_info()
        if info is None:
            return iter(range(self.start, self.end))
        per = math.ceil((self.end - self.start) / info.num_workers)
        lo = self.start + info.id * per
        return iter(range(lo, lo + per))
