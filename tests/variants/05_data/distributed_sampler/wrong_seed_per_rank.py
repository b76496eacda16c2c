"""Known-wrong: each rank shuffles with its own seed, so the shards overlap and miss indices."""

from torch.utils.data import DistributedSampler


def shard_for_rank(dataset, rank, world_size, epoch, seed=0):
    sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True, seed=seed + rank)
    sampler.set_epoch(epoch)
    return list(sampler)
