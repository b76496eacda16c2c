"""Known-wrong: picks with a one-hot product, (logits * one_hot).sum(1), so a -inf logit elsewhere gives NaN."""

from __future__ import annotations

import torch


def pick_class_scores(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    one_hot = torch.nn.functional.one_hot(labels, logits.shape[1]).to(logits.dtype)
    return (logits * one_hot).sum(dim=1)


def masked_mean(x: torch.Tensor, mask: torch.Tensor, dim: int) -> torch.Tensor:
    return torch.where(mask, x, 0).sum(dim) / mask.sum(dim).clamp_min(1)


def topk_indices_per_row(x: torch.Tensor, k: int) -> torch.Tensor:
    return torch.topk(x, k, dim=1).indices
