"""Known-wrong: lengths recovered from the padded values (count != padding_value), so real 0 tokens shorten them."""
from __future__ import annotations

import torch
from torch.nn.utils.rnn import pad_sequence


def pad_collate(batch, padding_value: float = 0):
    padded = pad_sequence([s for s, _ in batch], batch_first=True, padding_value=padding_value)
    real = padded != padding_value
    if real.dim() == 3:
        real = real.any(-1)
    lengths = real.sum(dim=1).to(torch.int64)
    labels = torch.tensor([lab for _, lab in batch], dtype=torch.int64)
    return padded, lengths, labels


def padding_mask(lengths: torch.Tensor, max_len: int | None = None) -> torch.Tensor:
    if max_len is None:
        max_len = int(lengths.max())
    return torch.arange(max_len, device=lengths.device)[None, :] >= lengths[:, None]
