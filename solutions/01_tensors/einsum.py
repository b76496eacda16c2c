"""Einsum: batched contractions written as one readable line each, with the indices in the right order.

Scenario (003 Q20-Q21). A recommender scores every (user, item) pair of a batch with a bilinear form per
relation type, and its attention layer scores queries against keys. The hand-written versions were a tangle of
``unsqueeze``, ``transpose`` and ``bmm`` that nobody could review, so the team rewrote both with
``torch.einsum``. One rewrite returned the attention scores transposed and still passed review: the test
used as many queries as keys, so the shape looked right.

Task: write both functions with ``torch.einsum`` (one call each is enough; no Python loop over the batch: the
tests count the tensor operations dispatched, and the count must not grow with the batch size). The tests judge
the results, not which operations produced them: any vectorised form of the same contraction passes.
- ``batched_bilinear(x, W, y)``: ``x`` (B, I), ``W`` (O, I, J), ``y`` (B, J) -> (B, O) with
  ``out[b, o] = sum over i, j of x[b, i] * W[o, i, j] * y[b, j]`` (``nn.Bilinear``'s weight layout, no bias).
- ``attention_scores(q, k)``: ``q`` (B, H, Lq, D), ``k`` (B, H, Lk, D) -> (B, H, Lq, Lk) with
  ``out[b, h, i, j] = (q[b, h, i] . k[b, h, j]) / sqrt(D)``: one row per query, one column per key, scaled by
  the square root of the head dimension as in scaled dot-product attention.

Both keep their inputs' dtype and stay differentiable.
"""

from __future__ import annotations

import math

import torch


def batched_bilinear(x: torch.Tensor, W: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """``out[b, o] = x[b] @ W[o] @ y[b]`` for every batch row ``b`` and output ``o``: (B, O)."""
    return torch.einsum("bi,oij,bj->bo", x, W, y)


def attention_scores(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    """Scaled dot products of every query with every key, per batch and head: (B, H, Lq, Lk)."""
    # the shared head dim d is summed away; i (queries) before j (keys) in the output sets the row/column order
    return torch.einsum("bhid,bhjd->bhij", q, k) / math.sqrt(q.shape[-1])
