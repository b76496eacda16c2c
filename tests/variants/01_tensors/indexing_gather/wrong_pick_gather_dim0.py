"""Known-wrong: gathers along dim 0 (logits[labels[n], n]): right only for square symmetric logits."""

from __future__ import annotations

import torch


def pick_class_scores(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return logits.gather(0, labels.unsqueeze(0)).squeeze(0)


def masked_mean(x: torch.Tensor, mask: torch.Tensor, dim: int) -> torch.Tensor:
    return torch.where(mask, x, 0).sum(dim) / mask.sum(dim).clamp_min(1)


def topk_indices_per_row(x: torch.Tensor, k: int) -> torch.Tensor:
    return torch.topk(x, k, dim=1).indices
