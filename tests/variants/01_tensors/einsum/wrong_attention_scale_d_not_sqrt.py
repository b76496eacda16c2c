"""Known-wrong: divides by D instead of sqrt(D): right only when D == 1."""

from __future__ import annotations

import math

import torch


def batched_bilinear(x: torch.Tensor, W: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return torch.einsum("bi,oij,bj->bo", x, W, y)


def attention_scores(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return torch.einsum("bhid,bhjd->bhij", q, k) / q.shape[-1]
