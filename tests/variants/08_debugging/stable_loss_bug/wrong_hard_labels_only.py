"""Known-wrong variant: BCE picks one term by thresholding the target at 0.5, right for hard 0/1 labels only (soft labels give the wrong loss)."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def log_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """log(sigmoid(x)), elementwise."""
    return F.logsigmoid(x)


def binary_cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy of sigmoid(logits) against targets in [0, 1]."""
    log_p = log_sigmoid(logits)
    log_not_p = log_sigmoid(-logits)
    return -torch.where(targets > 0.5, log_p, log_not_p).mean()
