"""Known-wrong: flattens with x.view(x.size(0), -1), which raises on non-contiguous input."""

from __future__ import annotations

import torch


def flatten_features(x: torch.Tensor) -> torch.Tensor:
    return x.view(x.size(0), -1)


def to_channels_last(x: torch.Tensor) -> torch.Tensor:
    return x.permute(0, 2, 3, 1)


def add_batch_dim(x: torch.Tensor) -> torch.Tensor:
    return x.unsqueeze(0)
