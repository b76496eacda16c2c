"""Known-wrong: hand-rolled with torch.manual_seed(seed + epoch) + torch.randperm: resets the global RNG."""
from __future__ import annotations

from typing import Sized

from torch.utils.data import DistributedSampler

import math

import torch


def shard_for_rank(dataset: Sized, rank: int, world_size: int, epoch: int, seed: int = 0) -> list[int]:
    if not 0 <= rank < world_size:
        raise ValueError(rank)
    n = len(dataset)
    torch.manual_seed(seed + epoch)
    perm = torch.randperm(n).tolist()
    total = math.ceil(n / world_size) * world_size
    perm = (perm * math.ceil(total / n))[:total]
    return perm[rank::world_size]
