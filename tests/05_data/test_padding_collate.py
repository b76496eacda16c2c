"""05_data/padding_collate: batch-first padding, true lengths, and a mask with the right polarity."""

import torch
from torch import nn
from torch.utils.data import DataLoader

from helpers import assert_tensor_equal, assert_tensor_close, randn


def token_batch() -> list[tuple[torch.Tensor, int]]:
    """Unsorted lengths 3, 1, 4, and token id 0 inside a sequence (a real token, not padding)."""
    return [
        (torch.tensor([5, 0, 7]), 1),
        (torch.tensor([9]), 0),
        (torch.tensor([3, 0, 0, 2]), 2),
    ]


def frame_batch(lengths=(2, 5, 3), features: int = 4, seed: int = 0) -> list[tuple[torch.Tensor, int]]:
    return [(randn(length, features, seed=seed + i), i % 2) for i, length in enumerate(lengths)]


def check_collated(result, batch, padding_value) -> None:
    assert isinstance(result, tuple) and len(result) == 3, (
        f"expected pad_collate to return (padded, lengths, labels), got {type(result).__name__}")
    padded, lengths, labels = result
    longest = max(len(sequence) for sequence, _ in batch)
    first = batch[0][0]
    expected = torch.full((len(batch), longest, *first.shape[1:]), padding_value, dtype=first.dtype)
    for i, (sequence, _) in enumerate(batch):
        expected[i, : len(sequence)] = sequence
    assert_tensor_equal(padded, expected, what="padded batch",
                        hint=f"batch first (B, T, ...) with the rows in the batch's order, T the longest sequence, the "
                             f"gaps filled with {padding_value} (pad_sequence defaults to batch_first=False: (T, B, ...))")
    assert_tensor_equal(lengths, torch.tensor([len(s) for s, _ in batch]), what="lengths",
                        hint="count each sequence's length before padding; token 0 is not padding")
    assert_tensor_equal(labels, torch.tensor([label for _, label in batch]), what="labels",
                        hint="labels as int64, in the batch's order (sorting the sequences must reorder the labels too)")


def test_pads_token_ids_batch_first(ex):
    batch = token_batch()
    check_collated(ex.pad_collate(batch), batch, padding_value=0)


def test_pads_feature_frames_with_the_padding_value(ex):
    batch = frame_batch()
    check_collated(ex.pad_collate(batch, padding_value=-1.0), batch, padding_value=-1.0)


def test_padding_mask_is_true_at_padding(ex):
    mask = ex.padding_mask(torch.tensor([3, 1, 4]))
    expected = torch.tensor([
        [False, False, False, True],
        [False, True, True, True],
        [False, False, False, False],
    ])
    assert_tensor_equal(mask, expected, what="padding_mask([3, 1, 4])",
                        hint="True marks padding (position >= length), as key_padding_mask expects; a bool tensor")


def test_mask_makes_attention_ignore_padding(ex):
    torch.manual_seed(0)
    attention = nn.MultiheadAttention(embed_dim=4, num_heads=1, batch_first=True).eval()
    batch = frame_batch(lengths=(2, 5, 3), seed=10)
    padded, lengths, _ = ex.pad_collate(batch)
    with torch.no_grad():
        out, _ = attention(padded, padded, padded, key_padding_mask=ex.padding_mask(lengths))
        for i, (sequence, _) in enumerate(batch):
            alone, _ = attention(sequence[None], sequence[None], sequence[None])
            assert_tensor_close(out[i, : len(sequence)], alone[0], atol=1e-5, rtol=1e-5,
                                what=f"attention output of sequence {i} inside the padded batch",
                                hint="the mask must be True at the padding (keys to ignore), False at real positions")


def test_works_as_a_dataloader_collate_fn(ex):
    data = frame_batch(lengths=(4, 2, 3, 1, 2), features=3, seed=20)
    loader = DataLoader(data, batch_size=2, collate_fn=ex.pad_collate)
    shapes = [tuple(padded.shape) for padded, _, _ in loader]
    assert shapes == [(2, 4, 3), (2, 3, 3), (1, 2, 3)], (
        f"expected padded batch shapes [(2, 4, 3), (2, 3, 3), (1, 2, 3)], got {shapes}; "
        "each batch is padded to its own longest sequence, batch first")
