"""Known-wrong: add_batch_dim uses reshape(1, *shape): a copy (not a view) when x is non-contiguous."""

from __future__ import annotations

import torch


def flatten_features(x: torch.Tensor) -> torch.Tensor:
    return torch.flatten(x, 1)


def to_channels_last(x: torch.Tensor) -> torch.Tensor:
    return x.permute(0, 2, 3, 1)


def add_batch_dim(x: torch.Tensor) -> torch.Tensor:
    return x.contiguous().reshape(1, *x.shape)
