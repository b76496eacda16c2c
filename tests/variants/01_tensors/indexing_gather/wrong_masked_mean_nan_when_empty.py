"""Known-wrong: divides by the unclamped count, so a fully masked slice gives 0/0 = NaN."""

from __future__ import annotations

import torch


def pick_class_scores(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return logits.gather(1, labels.unsqueeze(1)).squeeze(1)


def masked_mean(x: torch.Tensor, mask: torch.Tensor, dim: int) -> torch.Tensor:
    return torch.where(mask, x, 0).sum(dim) / mask.sum(dim)


def topk_indices_per_row(x: torch.Tensor, k: int) -> torch.Tensor:
    return torch.topk(x, k, dim=1).indices
