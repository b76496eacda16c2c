"""Known-wrong: drop_last=True, so ranks get floor(n / world_size) indices and the tail is never visited."""
from __future__ import annotations

from typing import Sized

from torch.utils.data import DistributedSampler



def shard_for_rank(dataset: Sized, rank: int, world_size: int, epoch: int, seed: int = 0) -> list[int]:
    sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True, seed=seed,
                                 drop_last=True)
    sampler.set_epoch(epoch)
    return [int(i) for i in sampler]
