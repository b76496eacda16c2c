"""05_data/padding_collate, hidden: random batches, dtypes, fixed mask widths, no padding at all."""

import random

import pytest
import torch

from helpers import assert_tensor_equal, visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_random_token_batches(ex, seed):
    rng = random.Random(seed)
    generator = torch.Generator().manual_seed(seed)
    batch = [(torch.randint(0, 3, (rng.randint(1, 7),), generator=generator), rng.randint(0, 9))
             for _ in range(rng.randint(2, 6))]
    padding_value = rng.choice([0, -100, 7])
    visible.check_collated(ex.pad_collate(batch, padding_value=padding_value), batch, padding_value)


@pytest.mark.parametrize("dtype", [torch.float64, torch.int32])
def test_sequence_dtype_is_kept(ex, dtype):
    batch = [(torch.arange(3).to(dtype), 0), (torch.arange(5).to(dtype), 1)]
    padded, lengths, labels = ex.pad_collate(batch)
    assert padded.dtype == dtype, f"expected padded dtype {dtype} (the sequences' own), got {padded.dtype}"
    assert lengths.dtype == torch.int64 and labels.dtype == torch.int64, (
        f"expected int64 lengths and labels, got {lengths.dtype} and {labels.dtype}")


def test_equal_lengths_need_no_padding(ex):
    batch = visible.frame_batch(lengths=(3, 3), seed=4)
    visible.check_collated(ex.pad_collate(batch, padding_value=9.0), batch, padding_value=9.0)
    mask = ex.padding_mask(torch.tensor([3, 3]))
    assert_tensor_equal(mask, torch.zeros(2, 3, dtype=torch.bool), what="padding_mask without padding")


def test_single_sequence_batch(ex):
    batch = [(torch.tensor([4, 0, 4]), 3)]
    visible.check_collated(ex.pad_collate(batch), batch, padding_value=0)


def test_mask_with_a_fixed_width(ex):
    mask = ex.padding_mask(torch.tensor([2, 0, 3]), max_len=5)
    expected = torch.arange(5)[None, :] >= torch.tensor([2, 0, 3])[:, None]
    assert_tensor_equal(mask, expected, what="padding_mask([2, 0, 3], max_len=5)",
                        hint="max_len fixes the width when given; a length-0 row is all padding")


def test_mask_of_random_lengths_matches_the_collated_batch(ex):
    generator = torch.Generator().manual_seed(5)
    lengths = torch.randint(1, 9, (7,), generator=generator)
    batch = [(torch.ones(int(n)), 0) for n in lengths]
    padded, collated_lengths, _ = ex.pad_collate(batch, padding_value=0.0)
    mask = ex.padding_mask(collated_lengths)
    assert_tensor_equal(mask, padded == 0, what="padding_mask of the collated lengths",
                        hint="True exactly where pad_collate put padding")


def test_mask_is_built_on_the_lengths_device(ex):
    # the meta device stands in for a GPU: a mask built from a CPU arange cannot meet lengths on another device
    lengths = torch.tensor([2, 0, 3], device="meta")
    mask = ex.padding_mask(lengths, max_len=4)
    assert isinstance(mask, torch.Tensor) and mask.device == lengths.device, (
        f"expected the mask on {lengths.device} (the lengths' device), got "
        f"{getattr(mask, 'device', type(mask).__name__)}; build the positions with torch.arange(max_len, "
        "device=lengths.device)")
    assert mask.dtype == torch.bool and tuple(mask.shape) == (3, 4), (
        f"expected a bool mask of shape (3, 4), got {mask.dtype} {tuple(mask.shape)}")
