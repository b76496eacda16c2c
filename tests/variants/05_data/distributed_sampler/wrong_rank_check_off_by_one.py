"""Known-wrong: hand-rolled with a rank check of rank > world_size, so rank == world_size returns a short shard instead of ValueError."""
from __future__ import annotations

from typing import Sized

from torch.utils.data import DistributedSampler

import math

import torch


def shard_for_rank(dataset: Sized, rank: int, world_size: int, epoch: int, seed: int = 0) -> list[int]:
    if rank < 0 or rank > world_size:
        raise ValueError(rank)
    n = len(dataset)
    g = torch.Generator().manual_seed(seed + epoch)
    perm = torch.randperm(n, generator=g).tolist()
    total = math.ceil(n / world_size) * world_size
    perm = (perm * math.ceil(total / n))[:total]
    return perm[rank::world_size]
