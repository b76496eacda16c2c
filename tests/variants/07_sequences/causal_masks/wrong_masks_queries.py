"""Known-wrong: puts the padding on the query dimension instead of the key dimension."""

from __future__ import annotations

import torch


def causal_mask(n: int, device: torch.device | str | None = None) -> torch.Tensor:
    """``(n, n)`` bool, True on and below the diagonal: query i may attend to keys 0..i."""
    return torch.ones(n, n, dtype=torch.bool, device=device).tril()


def combine_masks(causal: torch.Tensor, key_padding: torch.Tensor) -> torch.Tensor:
    """``(B, 1, T, S)`` bool, True = may attend: causal allows it and the key is not padding."""
    # key_padding is True at padding, so invert it; the new dims broadcast over heads (1) and queries (T)
    return causal[None, None, :, :] & ~key_padding[:, None, :, None]
