"""Known-wrong: a seeded generator but no worker_init_fn, so every worker copies the same dataset Generator."""

import torch
from torch.utils.data import DataLoader


def seed_worker(worker_id):
    pass


def make_loader(dataset, batch_size, seed, num_workers):
    return DataLoader(dataset, batch_size=batch_size, shuffle=True, num_workers=num_workers,
                      generator=torch.Generator().manual_seed(seed))
