"""Known-wrong: flatten_features uses reshape(N, -1), which cannot infer -1 for an empty batch (N = 0)."""

from __future__ import annotations

import torch


def flatten_features(x: torch.Tensor) -> torch.Tensor:
    return x.reshape(x.size(0), -1)


def to_channels_last(x: torch.Tensor) -> torch.Tensor:
    return x.permute(0, 2, 3, 1)


def add_batch_dim(x: torch.Tensor) -> torch.Tensor:
    return x.unsqueeze(0)
