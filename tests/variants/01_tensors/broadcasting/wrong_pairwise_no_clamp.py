"""Known-wrong: expansion |a|^2 + |b|^2 - 2ab without clamping, so rounding gives small negative distances."""

from __future__ import annotations

import torch


def pairwise_sq_distances(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return (a * a).sum(1, keepdim=True) + (b * b).sum(1) - 2 * a @ b.T


def normalize_rows(x: torch.Tensor, eps: float = 1e-12) -> torch.Tensor:
    return x / torch.linalg.vector_norm(x, dim=1, keepdim=True).clamp_min(eps)
