"""Known-wrong: bilinear form evaluated one batch row at a time in a Python loop."""

from __future__ import annotations

import math

import torch


def batched_bilinear(x: torch.Tensor, W: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return torch.stack([torch.einsum("i,oij,j->o", xb, W, yb) for xb, yb in zip(x, y)])


def attention_scores(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return torch.einsum("bhid,bhjd->bhij", q, k) / math.sqrt(q.shape[-1])
