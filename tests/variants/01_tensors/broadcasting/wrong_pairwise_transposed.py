"""Known-wrong: broadcasts b against a, returning (M, N): right only for square batches with a == b."""

from __future__ import annotations

import torch


def pairwise_sq_distances(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return (b[:, None, :] - a[None, :, :]).pow(2).sum(-1)


def normalize_rows(x: torch.Tensor, eps: float = 1e-12) -> torch.Tensor:
    return x / torch.linalg.vector_norm(x, dim=1, keepdim=True).clamp_min(eps)
