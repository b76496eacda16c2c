"""Known-correct alternative: pads by hand into new_full (keeps dtype), mask as the negation of a 'valid' mask."""
from __future__ import annotations

import torch
from torch.nn.utils.rnn import pad_sequence


def pad_collate(
    batch: list[tuple[torch.Tensor, int]], padding_value: float = 0
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    seqs, labels = zip(*batch)
    lengths = torch.as_tensor([s.shape[0] for s in seqs], dtype=torch.int64)
    first = seqs[0]
    padded = first.new_full((len(seqs), int(lengths.max()), *first.shape[1:]), padding_value)
    for i, s in enumerate(seqs):
        padded[i, : s.shape[0]] = s
    return padded, lengths, torch.as_tensor(labels, dtype=torch.int64)


def _valid_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    steps = torch.arange(max_len, device=lengths.device).expand(lengths.shape[0], max_len)
    return steps < lengths.unsqueeze(1)


def padding_mask(lengths: torch.Tensor, max_len: int | None = None) -> torch.Tensor:
    return ~_valid_mask(lengths, int(lengths.max()) if max_len is None else max_len)
