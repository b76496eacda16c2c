"""Known-wrong: pads into torch.full(..., padding_value), so the dtype follows padding_value (float frames + default 0 -> int64)."""
from __future__ import annotations

import torch
from torch.nn.utils.rnn import pad_sequence


def pad_collate(batch, padding_value: float = 0):
    seqs = [s for s, _ in batch]
    T = max(len(s) for s in seqs)
    padded = torch.full((len(seqs), T, *seqs[0].shape[1:]), padding_value)
    for i, s in enumerate(seqs):
        padded[i, : len(s)] = s
    lengths = torch.tensor([len(s) for s in seqs], dtype=torch.int64)
    labels = torch.tensor([lab for _, lab in batch], dtype=torch.int64)
    return padded, lengths, labels


def padding_mask(lengths: torch.Tensor, max_len: int | None = None) -> torch.Tensor:
    if max_len is None:
        max_len = int(lengths.max())
    return torch.arange(max_len, device=lengths.device)[None, :] >= lengths[:, None]
