"""Known-wrong: computes in float64 for accuracy and forgets to cast back to a's dtype."""

from __future__ import annotations

import torch


def pairwise_sq_distances(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    a64, b64 = a.double(), b.double()
    return (a64[:, None, :] - b64[None, :, :]).pow(2).sum(-1)


def normalize_rows(x: torch.Tensor, eps: float = 1e-12) -> torch.Tensor:
    return x / torch.linalg.vector_norm(x, dim=1, keepdim=True).clamp_min(eps)
