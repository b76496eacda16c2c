"""Known-wrong: attention scores not divided by sqrt(D)."""

from __future__ import annotations

import torch


def batched_bilinear(x: torch.Tensor, W: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return torch.einsum("bi,oij,bj->bo", x, W, y)


def attention_scores(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return torch.einsum("bhid,bhjd->bhij", q, k)
