"""05_data/distributed_sampler, hidden: random sizes, tiny datasets, seeds, datasets of any type, the global RNG."""

import random

import pytest
import torch
from torch.utils.data import TensorDataset

from helpers import visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("trial", range(4))
def test_random_sizes_and_world_sizes(ex, trial):
    rng = random.Random(trial)
    size, world_size, epoch = rng.randint(5, 40), rng.randint(2, 6), rng.randint(0, 9)
    visible.check_partition(visible.all_shards(ex, size, world_size, epoch), size)


def test_fewer_items_than_ranks(ex):
    visible.check_partition(visible.all_shards(ex, size=3, world_size=4, epoch=2), size=3)


def test_every_epoch_is_a_partition_and_orders_differ(ex):
    orders = []
    for epoch in range(4):
        shards = visible.all_shards(ex, size=9, world_size=3, epoch=epoch)
        visible.check_partition(shards, size=9)
        orders.append([index for shard in shards for index in shard])
    assert len({tuple(order) for order in orders}) == 4, "expected a different order in each of 4 epochs"


def test_seed_changes_the_order(ex):
    first = ex.shard_for_rank(list(range(20)), 1, 2, epoch=0, seed=0)
    other = ex.shard_for_rank(list(range(20)), 1, 2, epoch=0, seed=1)
    assert first != other, "seeds 0 and 1 gave the same shard: pass the seed to the sampler"
    visible.check_partition(visible.all_shards(ex, size=20, world_size=2, epoch=0, seed=1), size=20)


def test_any_sized_dataset(ex):
    dataset = TensorDataset(torch.arange(10.0))
    shards = [ex.shard_for_rank(dataset, rank, 2, epoch=0) for rank in range(2)]
    assert sorted(shards[0] + shards[1]) == list(range(10)), f"expected indices 0..9 across both ranks, got {shards}"


def test_single_process_world(ex):
    shard = ex.shard_for_rank(list(range(7)), 0, 1, epoch=3)
    assert sorted(shard) == list(range(7)), f"with world_size 1 the one rank gets every index, got {shard}"


def test_global_rng_is_left_alone(ex):
    torch.manual_seed(42)
    state = torch.get_rng_state()
    shards = visible.all_shards(ex, size=10, world_size=2, epoch=1)
    assert torch.equal(torch.get_rng_state(), state), (
        "shard_for_rank changed the global torch RNG: draw the permutation from a private torch.Generator "
        "(DistributedSampler does) instead of torch.manual_seed")
    visible.check_partition(shards, size=10)  # and the shards it computed meanwhile are the real ones


def test_negative_rank_raises(ex):
    with pytest.raises(ValueError):
        ex.shard_for_rank(list(range(8)), -1, 2, epoch=0)


@pytest.mark.parametrize("size, world_size", [(2, 5), (1, 3)])
def test_padding_longer_than_the_dataset(ex, size, world_size):
    # more padding than items: the repeats must cycle through the permutation again, not stop after one pass
    visible.check_partition(visible.all_shards(ex, size=size, world_size=world_size, epoch=1), size=size)


@pytest.mark.parametrize("epoch", [0, 3])
def test_the_default_seed_is_zero(ex, epoch):
    default = [ex.shard_for_rank(list(range(12)), rank, 2, epoch) for rank in range(2)]
    explicit = visible.all_shards(ex, size=12, world_size=2, epoch=epoch, seed=0)
    visible.check_partition(explicit, size=12)
    assert default == explicit, (
        f"epoch {epoch}: without a seed the shards were {default}, with seed=0 {explicit}; the signature promises "
        "seed=0 as the default")
