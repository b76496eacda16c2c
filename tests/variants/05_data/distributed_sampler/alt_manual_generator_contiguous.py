"""Known-correct alternative: own seeded torch.Generator permutation, cyclic padding, contiguous blocks per rank."""
from __future__ import annotations

from typing import Sized

from torch.utils.data import DistributedSampler

import torch


def _padded_permutation(n: int, total: int, seed: int, epoch: int) -> list[int]:
    gen = torch.Generator()
    gen.manual_seed(seed + epoch)
    perm = torch.randperm(n, generator=gen).tolist()
    return [perm[i % n] for i in range(total)]  # cycles when padding exceeds n


def shard_for_rank(dataset: Sized, rank: int, world_size: int, epoch: int, seed: int = 0) -> list[int]:
    if not 0 <= rank < world_size:
        raise ValueError(f"rank {rank} is outside [0, {world_size})")
    per_rank = -(-len(dataset) // world_size)
    order = _padded_permutation(len(dataset), per_rank * world_size, seed, epoch)
    return order[rank * per_rank:(rank + 1) * per_rank]
