"""Known-correct alternative: flatten via contiguity check + view/reshape with explicit size, movedim, x[None]."""

from __future__ import annotations

import torch


def flatten_features(x: torch.Tensor) -> torch.Tensor:
    n = x.shape[0]
    flat = x.shape[1] * x.shape[2] * x.shape[3]
    return x.view(n, flat) if x.is_contiguous() else x.reshape(n, flat)


def to_channels_last(x: torch.Tensor) -> torch.Tensor:
    return torch.movedim(x, 1, -1)


def add_batch_dim(x: torch.Tensor) -> torch.Tensor:
    return x[None]
