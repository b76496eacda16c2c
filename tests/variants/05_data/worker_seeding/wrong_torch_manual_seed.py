"""Known-wrong: make_loader calls torch.manual_seed(seed) instead of passing a generator: touches the global RNG."""
from __future__ import annotations

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, get_worker_info


class NoisyDataset(Dataset):
    """Item ``i`` is ``(i, noise)``, ``noise`` a float32 tensor of shape (2,) drawn from ``self.rng``."""

    def __init__(self, size: int = 8, seed: int = 0) -> None:
        self.size = size
        self.rng = np.random.default_rng(seed)

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: int) -> tuple[int, torch.Tensor]:
        if not 0 <= index < self.size:
            raise IndexError(index)
        return index, torch.from_numpy(self.rng.normal(size=2)).float()



def seed_worker(worker_id: int) -> None:
    info = get_worker_info()
    info.dataset.rng = np.random.default_rng(info.seed)


def make_loader(dataset: Dataset, batch_size: int, seed: int, num_workers: int) -> DataLoader:
    torch.manual_seed(seed)
    return DataLoader(dataset, batch_size=batch_size, shuffle=True, num_workers=num_workers,
                      worker_init_fn=seed_worker)
