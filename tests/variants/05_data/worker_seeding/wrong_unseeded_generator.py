"""Known-wrong: re-seeds the workers correctly but leaves the loader unseeded (order and seeds from the global RNG)."""

import numpy as np
from torch.utils.data import DataLoader, get_worker_info


def seed_worker(worker_id):
    info = get_worker_info()
    info.dataset.rng = np.random.default_rng(info.seed)


def make_loader(dataset, batch_size, seed, num_workers):
    return DataLoader(dataset, batch_size=batch_size, shuffle=True, num_workers=num_workers,
                      worker_init_fn=seed_worker)
