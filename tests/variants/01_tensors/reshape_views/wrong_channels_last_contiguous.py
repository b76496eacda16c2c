"""Known-wrong: to_channels_last calls .contiguous() after permute: right values but a copy, not a view."""

from __future__ import annotations

import torch


def flatten_features(x: torch.Tensor) -> torch.Tensor:
    return torch.flatten(x, 1)


def to_channels_last(x: torch.Tensor) -> torch.Tensor:
    return x.permute(0, 2, 3, 1).contiguous()


def add_batch_dim(x: torch.Tensor) -> torch.Tensor:
    return x.unsqueeze(0)
