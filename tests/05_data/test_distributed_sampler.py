"""05_data/distributed_sampler: disjoint covering shards, a new order every epoch, equal sizes with padding."""

import math
from collections import Counter

import pytest


def all_shards(ex, size: int, world_size: int, epoch: int, seed: int = 0) -> list[list[int]]:
    """Each rank's shard, computed by separate calls as separate processes would."""
    shards = [ex.shard_for_rank(list(range(size)), rank, world_size, epoch, seed=seed) for rank in range(world_size)]
    for rank, shard in enumerate(shards):
        assert isinstance(shard, list) and all(type(index) is int for index in shard), (
            f"rank {rank}: expected a list of Python ints, got {type(shard).__name__} {shard!r:.60}")
    return shards


def check_partition(shards: list[list[int]], size: int) -> None:
    world_size = len(shards)
    per_rank = math.ceil(size / world_size)
    lengths = [len(shard) for shard in shards]
    assert lengths == [per_rank] * world_size, (
        f"expected {per_rank} indices on each of the {world_size} ranks (ceil({size} / {world_size})), got {lengths}; "
        "unequal shards leave the ranks with more steps waiting forever in all-reduce: pad by repeating indices")
    counts = Counter(index for shard in shards for index in shard)
    missing = sorted(set(range(size)) - set(counts))
    assert not missing, f"indices {missing} are on no rank: the shards must cover the dataset"
    outside = sorted(set(counts) - set(range(size)))
    assert not outside, f"indices {outside} are not valid for a dataset of {size}"
    repeats = sum(counts.values()) - size
    assert repeats == per_rank * world_size - size, (
        f"{repeats} indices appear on more than one rank, but only the {per_rank * world_size - size} padding "
        "repeats may: every rank must shuffle with the same seed (not one per rank, not the global RNG)")


def test_shards_are_disjoint_and_cover_the_dataset(ex):
    check_partition(all_shards(ex, size=12, world_size=3, epoch=0), size=12)


def test_padding_gives_every_rank_the_same_size(ex):
    check_partition(all_shards(ex, size=10, world_size=4, epoch=0), size=10)


def test_each_epoch_has_a_new_order(ex):
    epoch0 = ex.shard_for_rank(list(range(16)), 0, 2, epoch=0)
    again = ex.shard_for_rank(list(range(16)), 0, 2, epoch=0)
    epoch1 = ex.shard_for_rank(list(range(16)), 0, 2, epoch=1)
    assert epoch0 == again, f"epoch 0 gave two different shards: {epoch0} vs {again}; the order must be seeded"
    assert epoch0 != sorted(epoch0), f"rank 0's shard {epoch0} is not shuffled: shuffle=True"
    assert epoch1 != epoch0, (
        f"epochs 0 and 1 gave rank 0 the same shard {epoch0}: call sampler.set_epoch(epoch) so each epoch reshuffles")
    check_partition(all_shards(ex, size=16, world_size=2, epoch=1), size=16)


def test_rank_outside_the_world_raises(ex):
    with pytest.raises(ValueError):
        ex.shard_for_rank(list(range(8)), 2, 2, epoch=0)
