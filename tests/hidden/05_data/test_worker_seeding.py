"""05_data/worker_seeding, hidden: new augmentations every epoch, another dataset, other batch sizes."""

import pytest
import torch

from helpers import visible_tests

visible = visible_tests(__file__)


@pytest.mark.slow
def test_each_epoch_draws_new_augmentations(ex):
    loader = visible.build(ex, seed=4, num_workers=2)
    first_order, first_noise = visible.run_epoch(loader)
    second_order, second_noise = visible.run_epoch(loader)
    assert sorted(second_order) == list(range(8)), f"expected every item once in epoch 2, got {sorted(second_order)}"
    assert first_order != second_order, "epoch 2 repeated epoch 1's order: the sampler must keep drawing"
    repeated = [i for i, row in zip(second_order, second_noise) if any(torch.equal(row, old) for old in first_noise)]
    assert not repeated, (
        f"items {repeated} of epoch 2 got noise already drawn in epoch 1: each worker replays the same stream every "
        "epoch; seed the workers from get_worker_info().seed (new every epoch), not from a fixed seed + worker_id")


@pytest.mark.slow
def test_another_dataset_and_batch_size(ex):
    dataset = visible.OwnRngDataset(size=9, noise_size=3, seed=11)
    loader = ex.make_loader(dataset, batch_size=4, seed=8, num_workers=2)
    order, noise = visible.run_epoch(loader)
    assert sorted(order) == list(range(9)), f"expected every item once, got {sorted(order)}"
    assert noise.shape == (9, 3), f"expected noise rows of shape (9, 3), got {tuple(noise.shape)}"
    visible.assert_all_noise_distinct(order, noise)
    again_order, again_noise = visible.run_epoch(
        ex.make_loader(visible.OwnRngDataset(size=9, noise_size=3, seed=11), batch_size=4, seed=8, num_workers=2))
    assert order == again_order and torch.equal(noise, again_noise), (
        "with 2 workers, the same seed did not reproduce the same order and augmentations")


@pytest.mark.slow
def test_global_rng_is_left_alone_with_workers(ex):
    torch.manual_seed(99)
    state = torch.get_rng_state()
    visible.run_epoch(visible.build(ex, seed=6, num_workers=2, batch_size=3))
    assert torch.equal(torch.get_rng_state(), state), (
        "building and iterating the loader changed the global torch RNG: use a torch.Generator, not torch.manual_seed")


@pytest.mark.parametrize("batch_size", [1, 3])
def test_batches_have_the_requested_size(ex, batch_size):
    order, noise = visible.run_epoch(visible.build(ex, seed=0, num_workers=0, size=7, batch_size=batch_size))
    assert sorted(order) == list(range(7)), f"expected every item once, got {sorted(order)}"
    sizes = [len(indices) for indices, _ in visible.build(ex, seed=0, num_workers=0, size=7, batch_size=batch_size)]
    expected = [batch_size] * (7 // batch_size) + ([7 % batch_size] if 7 % batch_size else [])
    assert sizes == expected, f"expected batch sizes {expected} (no drop_last), got {sizes}"
