"""Known-wrong: a hand-made strided split of a seeded permutation, without padding: shard sizes differ."""

import torch


def shard_for_rank(dataset, rank, world_size, epoch, seed=0):
    if not 0 <= rank < world_size:
        raise ValueError(f"rank {rank} outside [0, {world_size})")
    generator = torch.Generator().manual_seed(seed + epoch)
    permutation = torch.randperm(len(dataset), generator=generator).tolist()
    return permutation[rank::world_size]
