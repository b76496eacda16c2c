"""Known-correct alternative: focal loss fully in log space via logsigmoid; MultiLabelSoftMarginLoss; manual weighted NLL."""

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
        t = targets.to(logits.dtype)
        log_p, log_1mp = F.logsigmoid(logits), F.logsigmoid(-logits)
        log_pt = t * log_p + (1 - t) * log_1mp          # log p_t
        log_1mpt = t * log_1mp + (1 - t) * log_p        # log (1 - p_t), exact for t in {0, 1}
        loss = -log_pt * torch.exp(self.gamma * log_1mpt)
        if self.alpha is not None:
            loss = loss * torch.where(t > 0.5, self.alpha, 1.0 - self.alpha)
        return loss.mean()


def multilabel_loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return nn.MultiLabelSoftMarginLoss()(logits, targets.to(logits.dtype))


def weighted_ce(logits: torch.Tensor, targets: torch.Tensor, class_counts: torch.Tensor) -> torch.Tensor:
    w = class_counts.to(logits.device, logits.dtype).reciprocal()
    nll = -F.log_softmax(logits, dim=1).gather(1, targets.unsqueeze(1)).squeeze(1)
    ws = w[targets]
    return (ws * nll).sum() / ws.sum()
