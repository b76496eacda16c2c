"""Attention masks in the convention of ``F.scaled_dot_product_attention``: True means "may attend".

Scenario (003 Q58). A small GPT-style model that autocompletes SQL reaches a suspiciously low training loss and
then writes nonsense: it could see the tokens it was asked to predict. Its padded batches have a second leak:
short queries attend to padding. Both are mask bugs, and the conventions invite them:
``F.scaled_dot_product_attention`` takes a boolean ``attn_mask`` where True means "take part in attention",
while ``nn.MultiheadAttention``'s ``key_padding_mask`` (and the padding masks most collate functions return) use
True for "padding, ignore". A float mask means something else again: it is *added* to the scores.

Task:
- ``causal_mask(n, device=None)``: an ``(n, n)`` bool tensor, True where query ``i`` may attend to key ``j``,
  that is ``j <= i`` (a token sees itself and the past, never the future).
- ``combine_masks(causal, key_padding)``: ``causal`` is a ``(T, S)`` bool mask in the convention above,
  ``key_padding`` a ``(B, S)`` bool mask with True at padding keys (the ``key_padding_mask`` convention). Return
  the ``(B, 1, T, S)`` bool mask, True = may attend, that ``F.scaled_dot_product_attention`` broadcasts over the
  heads: a query may attend to a key if the causal mask allows it and the key is not padding. Only keys are
  masked: a padding *query* still attends to the real keys before it (its output is ignored later, but a row
  with nothing to attend to is how NaNs get into a loss). Do not modify the inputs.
"""

from __future__ import annotations

import torch


def causal_mask(n: int, device: torch.device | str | None = None) -> torch.Tensor:
    """``(n, n)`` bool, True on and below the diagonal: query i may attend to keys 0..i."""
    return torch.ones(n, n, dtype=torch.bool, device=device).tril()


def combine_masks(causal: torch.Tensor, key_padding: torch.Tensor) -> torch.Tensor:
    """``(B, 1, T, S)`` bool, True = may attend: causal allows it and the key is not padding."""
    # key_padding is True at padding, so invert it; the new dims broadcast over heads (1) and queries (T)
    return causal[None, None, :, :] & ~key_padding[:, None, None, :]
