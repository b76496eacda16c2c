"""Known-wrong variant: log_sigmoid = -log1p(exp(-x)), right for x >= 0 only: exp(-x) overflows at x = -200 in float32 and gives -inf (and BCE at z = +200 via log_sigmoid(-z))."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def log_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """log(sigmoid(x)), elementwise."""
    return -torch.log1p(torch.exp(-x))


def binary_cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy of sigmoid(logits) against targets in [0, 1]."""
    log_p = log_sigmoid(logits)
    log_not_p = log_sigmoid(-logits)
    return -(targets * log_p + (1 - targets) * log_not_p).mean()
