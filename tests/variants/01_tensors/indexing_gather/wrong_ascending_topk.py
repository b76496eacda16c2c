"""Known-wrong: argsort ascending, so it returns the k smallest values' indices."""

from __future__ import annotations

import torch


def pick_class_scores(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return logits.gather(dim=1, index=labels.unsqueeze(1)).squeeze(1)


def masked_mean(x: torch.Tensor, mask: torch.Tensor, dim: int) -> torch.Tensor:
    total = torch.where(mask, x, torch.zeros((), dtype=x.dtype)).sum(dim)
    return total / mask.sum(dim).clamp_min(1).to(x.dtype)


def topk_indices_per_row(x: torch.Tensor, k: int) -> torch.Tensor:
    return x.argsort(dim=1)[:, :k]
