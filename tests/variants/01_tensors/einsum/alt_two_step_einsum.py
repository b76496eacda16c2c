"""Known-correct alternative: bilinear as two einsums through a (B, O, J) intermediate; uppercase subscripts, rsqrt scale."""

from __future__ import annotations

import math

import torch


_XW = "BI,OIJ->BOJ"


def batched_bilinear(x: torch.Tensor, W: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    xw = torch.einsum(_XW, x, W)
    return torch.einsum("BOJ,BJ->BO", xw, y)


def attention_scores(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    scale = 1.0 / math.sqrt(q.size(-1))
    return torch.einsum("BHQD,BHKD->BHQK", q, k).mul(scale)
