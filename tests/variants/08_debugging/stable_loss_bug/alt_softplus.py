"""Known-correct alternative: via F.softplus: log_sigmoid(x) = -softplus(-x), BCE = mean(softplus(z) - t*z)."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def log_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """log(sigmoid(x)), elementwise."""
    return -F.softplus(-x)


def binary_cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy of sigmoid(logits) against targets in [0, 1]."""
    # -(t*log s(z) + (1-t)*log s(-z)) = t*softplus(-z) + (1-t)*softplus(z) = softplus(z) - t*z
    return (F.softplus(logits) - targets * logits).mean()
