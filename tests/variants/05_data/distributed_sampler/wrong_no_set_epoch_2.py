"""Known-wrong: never calls set_epoch, so every epoch replays epoch 0's order."""
from __future__ import annotations

from typing import Sized

from torch.utils.data import DistributedSampler



def shard_for_rank(dataset: Sized, rank: int, world_size: int, epoch: int, seed: int = 0) -> list[int]:
    sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True, seed=seed)
    return [int(i) for i in sampler]
