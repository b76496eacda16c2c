"""Known-wrong: adds the batch dimension at the end with unsqueeze(-1)."""

from __future__ import annotations

import torch


def flatten_features(x: torch.Tensor) -> torch.Tensor:
    return torch.flatten(x, start_dim=1)


def to_channels_last(x: torch.Tensor) -> torch.Tensor:
    return x.permute(0, 2, 3, 1)


def add_batch_dim(x: torch.Tensor) -> torch.Tensor:
    return x.unsqueeze(-1)
