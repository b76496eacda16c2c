"""Known-wrong: scales by sqrt(q.size(2)) (Lq) instead of sqrt(D): right only when Lq == D."""

from __future__ import annotations

import math

import torch


def batched_bilinear(x: torch.Tensor, W: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return torch.einsum("bi,oij,bj->bo", x, W, y)


def attention_scores(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    b, h, l, d = q.shape
    return torch.einsum("bhld,bhmd->bhlm", q, k) / math.sqrt(q.size(2))
