"""Known-wrong: padding_mask builds its positions on the CPU, whatever device the lengths are on."""

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
    positions = torch.arange(max_len)
    # Broadcast (1, T) against (B, 1): position t of row b is padding when t >= lengths[b].
    return positions.unsqueeze(0) >= lengths.unsqueeze(1)
