"""Known-correct alternative: DistributedSampler with explicit drop_last=False, validation before construction, map(int)."""
from __future__ import annotations

from typing import Sized

from torch.utils.data import DistributedSampler



def shard_for_rank(dataset: Sized, rank: int, world_size: int, epoch: int, seed: int = 0) -> list[int]:
    if rank < 0 or rank >= world_size:
        raise ValueError("rank must be in [0, world_size)")
    sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True, seed=seed,
                                 drop_last=False)
    sampler.set_epoch(epoch)
    return list(map(int, iter(sampler)))
