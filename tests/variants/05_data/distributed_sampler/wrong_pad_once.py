"""Known-wrong: pads with perm[:total - n] once, so when the padding exceeds len(dataset) the last ranks get too few indices."""
from __future__ import annotations

from typing import Sized

from torch.utils.data import DistributedSampler

import math

import torch


def shard_for_rank(dataset: Sized, rank: int, world_size: int, epoch: int, seed: int = 0) -> list[int]:
    if not 0 <= rank < world_size:
        raise ValueError(rank)
    n = len(dataset)
    g = torch.Generator().manual_seed(seed + epoch)
    perm = torch.randperm(n, generator=g).tolist()
    total = math.ceil(n / world_size) * world_size
    perm = perm + perm[: total - n]
    return perm[rank::world_size]
