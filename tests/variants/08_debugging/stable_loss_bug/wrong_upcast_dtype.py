"""Known-wrong variant: log_sigmoid computes in float64 "for safety" and returns float64 for a float32 input (dtype not preserved; BCE comes back float64 too)."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def log_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """log(sigmoid(x)), elementwise."""
    return F.logsigmoid(x.double())


def binary_cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy of sigmoid(logits) against targets in [0, 1]."""
    log_p = log_sigmoid(logits)
    log_not_p = log_sigmoid(-logits)
    return -(targets * log_p + (1 - targets) * log_not_p).mean()
