"""Batch sequences of different lengths: pad them, keep their lengths, mask the padding.

Scenario (000 Q10, 003 Q63). A sentiment model reads reviews of 3 to 300 tokens. The default collate function
fails with "stack expects each tensor to be equal size", so the batch has to be padded to its longest review,
and everything downstream (packing for the LSTM, masking for attention) needs the true lengths.

Task:
- ``pad_collate(batch, padding_value=0)`` takes a list of ``(sequence, label)`` pairs, ``sequence`` a tensor of
  shape ``(L_i,)`` (token ids) or ``(L_i, F)`` (feature frames), ``label`` an ``int``, and returns
  ``(padded, lengths, labels)``:
  ``padded`` of shape ``(B, T)`` or ``(B, T, F)``: batch first, ``T`` the longest ``L_i`` in this batch, the
  sequences' own dtype, every position past a sequence's end equal to ``padding_value``;
  ``lengths`` int64 ``(B,)``, the true lengths; ``labels`` int64 ``(B,)``.
  Keep the batch order: ``labels[i]`` and ``lengths[i]`` belong to ``padded[i]``. Token id 0 is a real token
  too, so the lengths cannot be recovered from the padded values.
- ``padding_mask(lengths, max_len=None)`` returns a bool tensor ``(B, max_len)``, on ``lengths``' device, that is
  True at the padding positions: the convention of ``nn.MultiheadAttention(key_padding_mask=...)`` and
  ``nn.TransformerEncoder(src_key_padding_mask=...)``. ``max_len`` defaults to ``lengths.max()``.
"""

from __future__ import annotations

import torch
from torch.nn.utils.rnn import pad_sequence


def pad_collate(
    batch: list[tuple[torch.Tensor, int]], padding_value: float = 0
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    sequences = [sequence for sequence, _ in batch]
    # Lengths come from the sequences themselves: the padded values cannot tell padding from token 0.
    lengths = torch.tensor([len(sequence) for sequence in sequences], dtype=torch.int64)
    labels = torch.tensor([label for _, label in batch], dtype=torch.int64)
    padded = pad_sequence(sequences, batch_first=True, padding_value=padding_value)
    return padded, lengths, labels


def padding_mask(lengths: torch.Tensor, max_len: int | None = None) -> torch.Tensor:
    if max_len is None:
        max_len = int(lengths.max())
    positions = torch.arange(max_len, device=lengths.device)
    # Broadcast (1, T) against (B, 1): position t of row b is padding when t >= lengths[b].
    return positions.unsqueeze(0) >= lengths.unsqueeze(1)
