"""Known-wrong: contiguous chunks of (end - start) // num_workers items, losing the remainder."""

from torch.utils.data import IterableDataset, get_worker_info


class RangeStream(IterableDataset):
    def __init__(self, start, end):
        super().__init__()
        self.start, self.end = start, end

    def __iter__(self):
        info = get_worker_info()
        if info is None:
            return iter(range(self.start, self.end))
        per_worker = (self.end - self.start) // info.num_workers
        first = self.start + info.id * per_worker
        return iter(range(first, first + per_worker))
