"""Known-wrong: shards with torch.arange, so it yields 0-d tensors instead of Python ints."""
from __future__ import annotations

from typing import Iterator

from torch.utils.data import IterableDataset, get_worker_info

import torch

class RangeStream(IterableDataset):
    def __init__(self, start: int, end: int) -> None:
        super().__init__()
        self.start = start
        self.end = end

    def __iter__(self) -> Iterator[int]:
        ids = torch.arange(self.start, self.end)
        info = get_worker_info()
        if info is not None:
            ids = ids[info.id :: info.num_workers]
        return iter(ids)
