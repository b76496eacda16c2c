"""Known-correct alternative: (N,1,D) - (1,M,D) broadcast difference (never negative); F.normalize with eps."""

from __future__ import annotations

import torch


def pairwise_sq_distances(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    diff = a.unsqueeze(1) - b.unsqueeze(0)
    return (diff * diff).sum(dim=-1).to(a.dtype)


def normalize_rows(x: torch.Tensor, eps: float = 1e-12) -> torch.Tensor:
    return torch.nn.functional.normalize(x, p=2.0, dim=1, eps=eps)
