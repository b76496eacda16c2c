"""Known-wrong: flatten_features calls .contiguous() before .view: copies a strided batch slice it could view."""

from __future__ import annotations

import math

import torch


def flatten_features(x: torch.Tensor) -> torch.Tensor:
    return x.contiguous().view(x.shape[0], math.prod(x.shape[1:]))


def to_channels_last(x: torch.Tensor) -> torch.Tensor:
    return x.permute(0, 2, 3, 1)


def add_batch_dim(x: torch.Tensor) -> torch.Tensor:
    return x.unsqueeze(0)
