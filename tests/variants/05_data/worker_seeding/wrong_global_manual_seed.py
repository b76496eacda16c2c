"""Known-wrong: seeds the global torch RNG with torch.manual_seed instead of giving the loader a Generator."""

import numpy as np
import torch
from torch.utils.data import DataLoader, get_worker_info


def seed_worker(worker_id):
    info = get_worker_info()
    info.dataset.rng = np.random.default_rng(info.seed)


def make_loader(dataset, batch_size, seed, num_workers):
    torch.manual_seed(seed)
    return DataLoader(dataset, batch_size=batch_size, shuffle=True, num_workers=num_workers,
                      worker_init_fn=seed_worker)
