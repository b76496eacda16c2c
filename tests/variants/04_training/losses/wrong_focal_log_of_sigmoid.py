"""Known-wrong: focal bce computed as -log(p_t) from sigmoid probabilities: inf/nan for a confident mistake (logit 100)."""

from __future__ import annotations

import torch
from torch import nn
import torch.nn.functional as F


class FocalLoss(nn.Module):
    def __init__(self, gamma: float = 2.0, alpha: float | None = 0.25) -> None:
        super().__init__()
        self.gamma = gamma
        self.alpha = alpha

    def forward(self, logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        p = torch.sigmoid(logits)
        p_t = p * targets + (1 - p) * (1 - targets)
        bce = -torch.log(p_t)
        loss = (1 - p_t) ** self.gamma * bce
        if self.alpha is not None:
            alpha_t = self.alpha * targets + (1 - self.alpha) * (1 - targets)
            loss = alpha_t * loss
        return loss.mean()


def multilabel_loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return F.binary_cross_entropy_with_logits(logits, targets.to(logits.dtype))


def weighted_ce(logits: torch.Tensor, targets: torch.Tensor, class_counts: torch.Tensor) -> torch.Tensor:
    weight = 1.0 / class_counts.to(device=logits.device, dtype=logits.dtype)
    return F.cross_entropy(logits, targets, weight=weight)
