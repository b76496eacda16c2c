"""Known-correct alternative: always builds a boolean allow-matrix, gives key-less rows zero scores, multiplies by has_key."""
from __future__ import annotations

import math

import torch
from torch import nn


def scaled_dot_product_attention(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    mask: torch.Tensor | None = None,
    causal: bool = False,
) -> torch.Tensor:
    L, S = q.size(-2), k.size(-2)
    scores = torch.matmul(q / math.sqrt(q.size(-1)), k.transpose(-1, -2))
    allowed = torch.ones(L, S, dtype=torch.bool, device=q.device)
    if causal:
        allowed = allowed.tril()
    if mask is not None:
        allowed = allowed & mask
    has_key = allowed.any(dim=-1, keepdim=True)
    # rows without a key get all-zero (finite) scores, then their weights are zeroed
    scores = scores.masked_fill(~allowed, float("-inf")).masked_fill(~has_key, 0.0)
    weights = torch.softmax(scores, dim=-1) * has_key
    return torch.matmul(weights, v)


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

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None, causal: bool = False) -> torch.Tensor:
        N, L, E = x.shape
        q, k, v = self.qkv(x).reshape(N, L, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        out = scaled_dot_product_attention(q, k, v, mask=mask, causal=causal)
        return self.proj(out.transpose(1, 2).reshape(N, L, E))
