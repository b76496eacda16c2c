"""Known-wrong: channels-last by transpose(1, 3), which gives (N, W, H, C)."""

from __future__ import annotations

import torch


def flatten_features(x: torch.Tensor) -> torch.Tensor:
    return torch.flatten(x, start_dim=1)


def to_channels_last(x: torch.Tensor) -> torch.Tensor:
    return x.transpose(1, 3)


def add_batch_dim(x: torch.Tensor) -> torch.Tensor:
    return x.unsqueeze(0)
