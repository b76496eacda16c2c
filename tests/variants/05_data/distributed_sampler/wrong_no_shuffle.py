"""Known-wrong: shuffle=False, so every epoch visits the same shard in the same order."""

from torch.utils.data import DistributedSampler


def shard_for_rank(dataset, rank, world_size, epoch, seed=0):
    sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=False, seed=seed)
    sampler.set_epoch(epoch)
    return list(sampler)
