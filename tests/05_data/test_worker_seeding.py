"""05_data/worker_seeding: same seed, same order and augmentations; every worker draws its own augmentations.

The multi-worker tests start real DataLoader worker processes (fork, the Linux default), so they are marked slow.
"""

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, Dataset

from helpers import assert_tensor_equal


class OwnRngDataset(Dataset):
    """Like the stub's NoisyDataset: item i is (i, noise), the noise drawn from a Generator made in __init__."""

    def __init__(self, size: int = 8, noise_size: int = 2, seed: int = 0) -> None:
        self.size = size
        self.noise_size = noise_size
        self.rng = np.random.default_rng(seed)

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: int):
        if not 0 <= index < self.size:
            raise IndexError(index)
        return index, torch.from_numpy(self.rng.normal(size=self.noise_size)).float()


def build(ex, seed: int, num_workers: int, size: int = 8, batch_size: int = 2) -> DataLoader:
    loader = ex.make_loader(OwnRngDataset(size), batch_size=batch_size, seed=seed, num_workers=num_workers)
    assert isinstance(loader, DataLoader), f"expected make_loader to return a DataLoader, got {type(loader).__name__}"
    return loader


def run_epoch(loader: DataLoader) -> tuple[list[int], torch.Tensor]:
    """The item order of one epoch and the noise rows in that order."""
    order, noise = [], []
    for indices, rows in loader:
        order += indices.tolist()
        noise.append(rows)
    return order, torch.cat(noise)


def assert_all_noise_distinct(order: list[int], noise: torch.Tensor) -> None:
    for i in range(len(order)):
        for j in range(i):
            assert not torch.equal(noise[i], noise[j]), (
                f"items {order[j]} and {order[i]} got identical augmentation noise {noise[i].tolist()}: the workers "
                "draw from identical copies of the dataset's Generator; in worker_init_fn re-seed "
                "get_worker_info().dataset.rng from get_worker_info().seed (re-seeding the global numpy.random "
                "state does not reach a Generator object)")


@pytest.mark.slow
def test_same_seed_gives_same_order_and_augmentations(ex):
    first_order, first_noise = run_epoch(build(ex, seed=3, num_workers=2))
    second_order, second_noise = run_epoch(build(ex, seed=3, num_workers=2))
    assert sorted(first_order) == list(range(8)), f"expected every item once per epoch, got {sorted(first_order)}"
    assert first_order == second_order, (
        f"two loaders with seed 3 shuffled differently: {first_order} vs {second_order}; pass "
        "generator=torch.Generator().manual_seed(seed) to the DataLoader")
    assert torch.equal(first_noise, second_noise), (
        "two loaders with seed 3 gave different augmentation noise: the worker seeds must come from the loader's "
        "seeded generator (get_worker_info().seed), not from the clock or the global RNG")


@pytest.mark.slow
def test_two_workers_draw_different_augmentations(ex):
    order, noise = run_epoch(build(ex, seed=0, num_workers=2))
    assert_all_noise_distinct(order, noise)


def test_seed_controls_the_shuffle(ex):
    first, _ = run_epoch(build(ex, seed=1, num_workers=0))
    again, _ = run_epoch(build(ex, seed=1, num_workers=0))
    other, _ = run_epoch(build(ex, seed=2, num_workers=0))
    assert sorted(first) == list(range(8)), f"expected every item once per epoch, got {sorted(first)}"
    assert first != list(range(8)), f"expected a shuffled order, got {first}: pass shuffle=True"
    assert first == again, f"seed 1 shuffled differently twice: {first} vs {again}; seed a torch.Generator"
    assert first != other, f"seeds 1 and 2 gave the same order {first}: the generator must be seeded with `seed`"


def test_global_rng_is_left_alone(ex):
    torch.manual_seed(1234)
    state = torch.get_rng_state()
    loader = build(ex, seed=5, num_workers=0)
    run_epoch(loader)
    assert torch.equal(torch.get_rng_state(), state), (
        "make_loader (or iterating its loader) changed the global torch RNG; keep the seed in a torch.Generator "
        "passed as generator=, instead of torch.manual_seed (which resets the caller's model init and dropout)")
    assert loader.batch_size == 2 and loader.num_workers == 0, (
        f"expected batch_size=2, num_workers=0 as asked, got {loader.batch_size}, {loader.num_workers}")


def test_the_given_noisy_dataset_through_the_loader(ex):
    # NoisyDataset is given ("leave it as it is"): its defaults, bounds and noise must be the stub's.
    dataset = ex.NoisyDataset()
    assert len(dataset) == 8, f"NoisyDataset() should hold 8 items (the given default), got {len(dataset)}"
    order, noise = run_epoch(ex.make_loader(dataset, batch_size=3, seed=2, num_workers=0))
    assert sorted(order) == list(range(8)), f"expected every item once per epoch, got {sorted(order)}"
    # without workers seed_worker never runs: the rows are the dataset's own default_rng(0) draws, in load order
    expected = torch.from_numpy(np.random.default_rng(0).normal(size=(8, 2))).float()
    assert_tensor_equal(noise, expected, what="noise of NoisyDataset() with num_workers=0",
                        hint="NoisyDataset was changed: it must stay as given (seed 0, noise of shape (2,), float32)")
    small = ex.NoisyDataset(size=3, seed=5)
    assert [small[i][0] for i in range(3)] == [0, 1, 2], "NoisyDataset(size=3)[i] should give back index i"
    for bad in (3, -1):
        with pytest.raises(IndexError):
            small[bad]
            pytest.fail(f"NoisyDataset(size=3)[{bad}] should raise IndexError, as the given dataset does")
