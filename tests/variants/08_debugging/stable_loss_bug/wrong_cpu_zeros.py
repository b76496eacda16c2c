"""Known-wrong variant: the "double where" formula with its zeros made by torch.zeros(x.shape, dtype=x.dtype): right on the CPU, but a tensor on another device (cuda, meta) meets a CPU tensor in torch.where."""

from __future__ import annotations

import torch


def log_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """log(sigmoid(x)), elementwise."""
    pos = x >= 0
    zero = torch.zeros(x.shape, dtype=x.dtype)
    x_pos = torch.where(pos, x, zero)   # exp(-x_pos) <= 1 everywhere
    x_neg = torch.where(pos, zero, x)   # exp(x_neg) <= 1 everywhere
    return torch.where(pos, -torch.log1p(torch.exp(-x_pos)), x_neg - torch.log1p(torch.exp(x_neg)))


def binary_cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy of sigmoid(logits) against targets in [0, 1]."""
    log_p = log_sigmoid(logits)
    log_not_p = log_sigmoid(-logits)   # log(1 - sigmoid(z)) = log(sigmoid(-z))
    return -(targets * log_p + (1 - targets) * log_not_p).mean()
