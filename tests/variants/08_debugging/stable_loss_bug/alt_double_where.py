"""Known-correct alternative: hand-written piecewise log1p/exp formula with the "double where" trick (no NaN gradient from the unused branch); BCE from log_sigmoid(z) and log_sigmoid(-z)."""

from __future__ import annotations

import torch


def log_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """log(sigmoid(x)), elementwise."""
    pos = x >= 0
    zero = torch.zeros_like(x)
    x_pos = torch.where(pos, x, zero)   # exp(-x_pos) <= 1 everywhere
    x_neg = torch.where(pos, zero, x)   # exp(x_neg) <= 1 everywhere
    return torch.where(pos, -torch.log1p(torch.exp(-x_pos)), x_neg - torch.log1p(torch.exp(x_neg)))


def binary_cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy of sigmoid(logits) against targets in [0, 1]."""
    log_p = log_sigmoid(logits)
    log_not_p = log_sigmoid(-logits)   # log(1 - sigmoid(z)) = log(sigmoid(-z))
    return -(targets * log_p + (1 - targets) * log_not_p).mean()
