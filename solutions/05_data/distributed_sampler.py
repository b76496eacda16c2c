"""Give every DDP rank its own shard of the data, reshuffled every epoch.

Scenario (003 Q90). Training on 4 GPUs took as long per epoch as on one and generalised no better: every process
iterated the whole dataset in its own random order. ``DistributedSampler`` splits the indices between the ranks.
All ranks must shuffle with the same seed (each rank computes the permutation in its own process), and
``set_epoch`` must be called every epoch, or every epoch replays epoch 0's order. When the dataset size is not a
multiple of the number of ranks, the sampler pads by repeating a few indices, so every rank runs the same number
of steps: a rank with one batch fewer would leave the others waiting forever in the gradient all-reduce.

Task: ``shard_for_rank(dataset, rank, world_size, epoch, seed=0)`` returns, as a list of Python ints, the dataset
indices that rank ``rank`` of ``world_size`` visits in epoch ``epoch``:
- shuffled by a permutation that depends only on ``seed`` and ``epoch`` (never on the rank, never on the global
  RNG, which it leaves untouched), so the shards of all ranks are disjoint and together cover every index;
- a new permutation for every epoch;
- ``ceil(len(dataset) / world_size)`` indices on every rank, padding with repeated indices where needed;
- ``ValueError`` for a rank outside ``[0, world_size)``.
No process group is needed: ``DistributedSampler`` takes ``num_replicas`` and ``rank`` explicitly.
"""

from __future__ import annotations

from typing import Sized

from torch.utils.data import DistributedSampler


def shard_for_rank(dataset: Sized, rank: int, world_size: int, epoch: int, seed: int = 0) -> list[int]:
    sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True, seed=seed)
    # The permutation is drawn from seed + epoch: without set_epoch every epoch would repeat epoch 0's order.
    sampler.set_epoch(epoch)
    return [int(index) for index in sampler]
