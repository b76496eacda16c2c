"""Reproducible shuffling, and different augmentations in every DataLoader worker.

Scenario (003 Q88). Loading got faster with ``num_workers=2`` and training got worse: the random augmentations
now come in identical pairs. The dataset creates its ``numpy.random.Generator`` in ``__init__``; each worker
process starts as a copy of the dataset, Generator state included, so both workers draw the same numbers.
(PyTorch re-seeds the global ``random``, ``numpy.random`` and ``torch`` RNGs in each worker, but it cannot know
about a Generator object the dataset owns.) And two runs with the same seed shuffle the data differently.

``NoisyDataset`` below is the team's dataset, given: item ``i`` is ``(i, noise)``, the noise drawn from the
dataset's own Generator ``self.rng`` (a stand-in for a random crop or a colour jitter). Leave it as it is.

Task:
- ``seed_worker(worker_id)``, the ``worker_init_fn``: it runs inside each worker, where
  ``torch.utils.data.get_worker_info()`` gives ``.seed`` (different for every worker and every epoch, and derived
  from the loader's generator) and ``.dataset`` (this worker's copy). Give that copy a fresh
  ``numpy.random.Generator`` seeded from ``.seed``. It must work for any dataset that keeps its Generator in an
  attribute named ``rng``.
- ``make_loader(dataset, batch_size, seed, num_workers)`` returns a shuffling ``DataLoader`` whose order and worker
  seeds all come from a ``torch.Generator`` seeded with ``seed``, and which uses ``seed_worker``. It must not touch
  the global torch RNG (no ``torch.manual_seed``: that would reset the caller's model init and dropout too).

Then the same seed gives the same order and the same augmentations, run after run; each worker draws different
augmentations; and each epoch draws new ones.
"""

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
    # info.seed is base_seed + worker_id, and base_seed is drawn from the loader's generator once per epoch:
    # different per worker, new every epoch, reproducible from the loader's seed.
    info.dataset.rng = np.random.default_rng(info.seed)


def make_loader(dataset: Dataset, batch_size: int, seed: int, num_workers: int) -> DataLoader:
    generator = torch.Generator()
    generator.manual_seed(seed)
    return DataLoader(
        dataset,
        batch_size=batch_size,
        shuffle=True,
        num_workers=num_workers,
        worker_init_fn=seed_worker,
        generator=generator,
    )
