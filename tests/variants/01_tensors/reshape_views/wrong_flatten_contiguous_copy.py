"""Known-wrong: flatten_features always copies (clone after flatten), never a view of contiguous input."""

from __future__ import annotations

import torch


def flatten_features(x: torch.Tensor) -> torch.Tensor:
    # copy so the head never aliases the backbone buffers
    return torch.flatten(x, 1).clone()


def to_channels_last(x: torch.Tensor) -> torch.Tensor:
    return x.permute(0, 2, 3, 1)


def add_batch_dim(x: torch.Tensor) -> torch.Tensor:
    return x.unsqueeze(0)
