"""Known-wrong: padding_mask always uses lengths.max() and ignores an explicit max_len."""
from __future__ import annotations

import torch
from torch.nn.utils.rnn import pad_sequence



def pad_collate(batch, padding_value: float = 0):
    seqs = [s for s, _ in batch]
    padded = pad_sequence(seqs, batch_first=True, padding_value=padding_value)
    lengths = torch.tensor([len(s) for s in seqs], dtype=torch.int64)
    labels = torch.tensor([lab for _, lab in batch], dtype=torch.int64)
    return padded, lengths, labels


def padding_mask(lengths: torch.Tensor, max_len: int | None = None) -> torch.Tensor:
    steps = torch.arange(int(lengths.max()))
    return steps[None, :] >= lengths[:, None]
