"""Known-wrong: padding_value is not passed to pad_sequence, so padding is always 0 (right only on the default)."""
from __future__ import annotations

import torch
from torch.nn.utils.rnn import pad_sequence


def pad_collate(batch, padding_value: float = 0):
    seqs = [s for s, _ in batch]
    padded = pad_sequence(seqs, batch_first=True)
    lengths = torch.tensor([len(s) for s in seqs], dtype=torch.int64)
    labels = torch.tensor([lab for _, lab in batch], dtype=torch.int64)
    return padded, lengths, labels


def padding_mask(lengths: torch.Tensor, max_len: int | None = None) -> torch.Tensor:
    if max_len is None:
        max_len = int(lengths.max())
    return torch.arange(max_len, device=lengths.device)[None, :] >= lengths[:, None]
