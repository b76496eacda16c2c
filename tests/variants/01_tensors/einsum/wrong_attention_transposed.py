"""Known-wrong: output subscripts bhji: (B, H, Lk, Lq), right shape only when Lq == Lk."""

from __future__ import annotations

import math

import torch


def batched_bilinear(x: torch.Tensor, W: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return torch.einsum("bi,oij,bj->bo", x, W, y)


def attention_scores(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return torch.einsum("bhid,bhjd->bhji", q, k) / math.sqrt(q.shape[-1])
