"""Known-wrong: forgets the 1/sqrt(E) scaling of the scores."""

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
    """softmax(q @ k^T / sqrt(E)) @ v over the allowed keys; a query with no allowed key gets zeros."""
    scores = q @ k.transpose(-2, -1)
    allowed = mask
    if causal:
        length, source = q.shape[-2], k.shape[-2]
        lower = torch.ones(length, source, dtype=torch.bool, device=q.device).tril()
        allowed = lower if allowed is None else allowed & lower
    if allowed is None:
        return torch.softmax(scores, dim=-1) @ v

    scores = scores.masked_fill(~allowed, float("-inf"))
    has_key = allowed.any(dim=-1, keepdim=True)
    # a row of only -inf would give softmax 0/0 = NaN (forward and backward): give it finite scores, then zero
    # its weights, so the row outputs zeros and its gradient is exactly zero
    scores = scores.masked_fill(~has_key, 0.0)
    weights = torch.softmax(scores, dim=-1).masked_fill(~has_key, 0.0)
    return weights @ v


class SelfAttention(nn.Module):
    def __init__(self, embed_dim: int, heads: int) -> None:
        super().__init__()
        if embed_dim % heads != 0:
            raise ValueError(f"embed_dim ({embed_dim}) must be divisible by heads ({heads})")
        self.embed_dim = embed_dim
        self.heads = heads
        self.head_dim = embed_dim // heads
        self.qkv = nn.Linear(embed_dim, 3 * embed_dim)
        self.proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None, causal: bool = False) -> torch.Tensor:
        batch, length, _ = x.shape
        # (N, L, 3E) -> (3, N, heads, L, head_dim): the heads must move in front of the positions, a plain
        # view to (N, heads, L, head_dim) would mix positions and features
        qkv = self.qkv(x).reshape(batch, length, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        out = scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], mask=mask, causal=causal)
        out = out.transpose(1, 2).reshape(batch, length, self.embed_dim)
        return self.proj(out)
