"""Known-wrong: channels-last by reshape(N, H, W, C), which relabels the shape and scrambles pixels."""

from __future__ import annotations

import torch


def flatten_features(x: torch.Tensor) -> torch.Tensor:
    return torch.flatten(x, start_dim=1)


def to_channels_last(x: torch.Tensor) -> torch.Tensor:
    return x.reshape(x.shape[0], x.shape[2], x.shape[3], x.shape[1])


def add_batch_dim(x: torch.Tensor) -> torch.Tensor:
    return x.unsqueeze(0)
