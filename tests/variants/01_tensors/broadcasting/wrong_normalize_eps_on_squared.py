"""Known-wrong: clamps the squared norm at eps, i.e. max(norm, sqrt(eps)), not max(norm, eps)."""

from __future__ import annotations

import torch


def pairwise_sq_distances(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    sq = (a * a).sum(1, keepdim=True) + (b * b).sum(1) - 2 * a @ b.T
    return sq.clamp_min(0)


def normalize_rows(x: torch.Tensor, eps: float = 1e-12) -> torch.Tensor:
    return x * (x * x).sum(1, keepdim=True).clamp_min(eps).rsqrt()
