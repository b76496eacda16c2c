"""Known-wrong: seeds each worker's Generator with seed + worker_id, so every epoch repeats the same augmentations."""

import functools

import numpy as np
import torch
from torch.utils.data import DataLoader, get_worker_info


def seed_worker(worker_id, seed=0):
    get_worker_info().dataset.rng = np.random.default_rng(seed + worker_id)


def make_loader(dataset, batch_size, seed, num_workers):
    return DataLoader(dataset, batch_size=batch_size, shuffle=True, num_workers=num_workers,
                      worker_init_fn=functools.partial(seed_worker, seed=seed),
                      generator=torch.Generator().manual_seed(seed))
