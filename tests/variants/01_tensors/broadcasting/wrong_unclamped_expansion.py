"""Known-wrong: the |a|^2 + |b|^2 - 2 a.b expansion without clamping its negative rounding errors."""

from __future__ import annotations

import torch


def pairwise_sq_distances(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    a_sq = (a * a).sum(dim=1, keepdim=True)
    b_sq = (b * b).sum(dim=1)
    return a_sq + b_sq - 2 * (a @ b.T)


def normalize_rows(x: torch.Tensor, eps: float = 1e-12) -> torch.Tensor:
    norms = torch.linalg.vector_norm(x, dim=1, keepdim=True)
    return x / norms.clamp_min(eps)
