"""Known-correct alternative: einsum, -inf fill with a guarded row max and a guarded denominator; heads via chunk/unflatten."""
from __future__ import annotations

import math

import torch
from torch import nn


def _allowed(mask: torch.Tensor | None, causal: bool, L: int, S: int, device: torch.device) -> torch.Tensor | None:
    if not causal:
        return mask
    tri = torch.ones(L, S, dtype=torch.bool, device=device).tril()
    return tri if mask is None else torch.logical_and(mask, tri)


def scaled_dot_product_attention(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    mask: torch.Tensor | None = None,
    causal: bool = False,
) -> torch.Tensor:
    scores = torch.einsum("...le,...se->...ls", q, k) * q.size(-1) ** -0.5
    allowed = _allowed(mask, causal, q.size(-2), k.size(-2), q.device)
    if allowed is not None:
        scores = scores.where(allowed, float("-inf"))
    row_max = scores.amax(dim=-1, keepdim=True)
    row_max = torch.where(torch.isfinite(row_max), row_max, torch.zeros_like(row_max)).detach()
    e = torch.exp(scores - row_max)
    den = e.sum(dim=-1, keepdim=True)
    weights = e / torch.where(den > 0, den, torch.ones_like(den))
    return torch.einsum("...ls,...sd->...ld", weights, v)


class SelfAttention(nn.Module):
    def __init__(self, embed_dim: int, heads: int) -> None:
        super().__init__()
        if embed_dim % heads != 0:
            raise ValueError(f"embed_dim {embed_dim} is not divisible by heads {heads}")
        self.embed_dim = embed_dim
        self.heads = heads
        self.head_dim = embed_dim // heads
        self.qkv = nn.Linear(embed_dim, 3 * embed_dim)
        self.proj = nn.Linear(embed_dim, embed_dim)

    def _split(self, t: torch.Tensor) -> torch.Tensor:
        return t.unflatten(-1, (self.heads, self.head_dim)).transpose(-3, -2)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None, causal: bool = False) -> torch.Tensor:
        q, k, v = map(self._split, self.qkv(x).chunk(3, dim=-1))
        out = scaled_dot_product_attention(q, k, v, mask=mask, causal=causal)
        return self.proj(out.transpose(-3, -2).flatten(-2))
