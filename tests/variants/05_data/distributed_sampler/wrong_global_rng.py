"""Known-wrong: draws the permutation from the global RNG (torch.manual_seed), resetting the caller's RNG state."""

import math

import torch


def shard_for_rank(dataset, rank, world_size, epoch, seed=0):
    if not 0 <= rank < world_size:
        raise ValueError(f"rank {rank} outside [0, {world_size})")
    torch.manual_seed(seed + epoch)
    permutation = torch.randperm(len(dataset)).tolist()
    total = math.ceil(len(permutation) / world_size) * world_size
    padded = (permutation * math.ceil(total / len(permutation)))[:total]
    return padded[rank::world_size]
