"""Attention from scratch: scaled dot-product attention with masks, and a multi-head self-attention layer.

Scenario (003 Q58, Q68). In an interview, attention is one line: ``softmax(Q @ K.T / sqrt(d_k)) @ V``. In a
model it must also respect causal and padding masks, survive a query that has nothing to attend to, stay finite
when scores are large, and split its projections into heads exactly like ``nn.MultiheadAttention`` so that
existing weights load.

Task 1: ``scaled_dot_product_attention(q, k, v, mask=None, causal=False)`` for ``q`` of shape ``(..., L, E)``,
``k`` ``(..., S, E)`` and ``v`` ``(..., S, Ev)``, returning ``(..., L, Ev)`` equal to
``torch.nn.functional.scaled_dot_product_attention``:
- scores ``q @ k^T / sqrt(E)``, softmax over the keys, weighted sum of the values;
- ``mask``: boolean, broadcastable to ``(..., L, S)``, True where query ``i`` may attend to key ``j`` (the
  convention of ``F.scaled_dot_product_attention``);
- ``causal=True``: query ``i`` attends only to keys ``j <= i`` (the lower triangle, aligned top-left when
  ``L != S``), built on the inputs' device; with a ``mask`` as well, a key must be allowed by both;
- a fully masked row (a query with no key allowed) returns zeros, not NaN, and passes back zero gradients, not
  NaN. This is a documented choice: the textbook ``masked_fill(-inf)`` + softmax computes 0/0 there, and a
  single NaN poisons the whole batch's gradients;
- numerically stable for large scores (softmax is shift-invariant: subtract the row maximum, or let
  ``torch.softmax`` do it);
- vectorised: no Python loop over the batch, heads or positions.
Build it from tensor operations, not from ``F.scaled_dot_product_attention`` or ``nn.MultiheadAttention``
(the tests compare against them).

Task 2: ``SelfAttention(embed_dim, heads)``, multi-head self-attention over ``x`` of shape ``(N, L, embed_dim)``:
- ``self.qkv = nn.Linear(embed_dim, 3 * embed_dim)``: its output splits along the last dimension into q, k, v
  (in that order), and each of those into ``heads`` consecutive chunks of ``head_dim = embed_dim // heads``
  (the layout of ``nn.MultiheadAttention``'s ``in_proj_weight``, so its weights load);
- each head attends with your ``scaled_dot_product_attention``; the heads' outputs are concatenated in order
  and projected by ``self.proj = nn.Linear(embed_dim, embed_dim)``;
- ``forward(x, mask=None, causal=False)``: ``mask`` is boolean and broadcastable to ``(N, heads, L, L)``; a
  padding mask ``keep`` of shape ``(N, L)`` (True for real tokens) is passed as ``keep[:, None, None, :]``;
- ``embed_dim`` not divisible by ``heads`` raises ``ValueError``.
"""

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
    scores = (q @ k.transpose(-2, -1)) / math.sqrt(q.shape[-1])
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
