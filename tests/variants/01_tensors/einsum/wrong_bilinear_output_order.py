"""Known-wrong: bilinear output indexed 'ob', giving (O, B) instead of (B, O)."""

from __future__ import annotations

import math

import torch


def batched_bilinear(x: torch.Tensor, W: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return torch.einsum("bi,oij,bj->ob", x, W, y)


def attention_scores(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return torch.einsum("bhid,bhjd->bhij", q, k) / math.sqrt(q.shape[-1])
