"""Known-wrong: to_channels_last uses transpose(1, 3) -> (N, W, H, C): right shape only when H == W, and H/W swapped."""

from __future__ import annotations

import torch


def flatten_features(x: torch.Tensor) -> torch.Tensor:
    return torch.flatten(x, 1)


def to_channels_last(x: torch.Tensor) -> torch.Tensor:
    return x.transpose(1, 3)


def add_batch_dim(x: torch.Tensor) -> torch.Tensor:
    return x.unsqueeze(0)
