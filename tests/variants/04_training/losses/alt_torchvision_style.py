"""Known-correct alternative: focal loss written like torchvision.ops.sigmoid_focal_loss; weights normalised to sum C (scale-free)."""

from __future__ import annotations

import torch
from torch import nn
import torch.nn.functional as F


class FocalLoss(nn.Module):
    def __init__(self, gamma: float = 2.0, alpha: float | None = 0.25) -> None:
        super().__init__()
        self.gamma, self.alpha = gamma, alpha

    def forward(self, logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        prob = logits.sigmoid()
        ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
        p_t = torch.where(targets == 1, prob, 1 - prob)
        loss = ce * (1 - p_t).pow(self.gamma)
        if self.alpha is not None:
            loss = torch.where(targets == 1, self.alpha, 1 - self.alpha) * loss
        return loss.sum() / loss.numel()


def multilabel_loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return nn.BCEWithLogitsLoss()(logits, targets.float().to(logits.dtype))


def weighted_ce(logits: torch.Tensor, targets: torch.Tensor, class_counts: torch.Tensor) -> torch.Tensor:
    counts = class_counts.to(logits.device).double()
    w = counts.sum() / counts
    w = (w / w.sum() * len(w)).to(logits.dtype)
    return nn.CrossEntropyLoss(weight=w)(logits, targets)
