"""Known-wrong: inverts key_padding in place (logical_not_), modifying the caller's mask."""
from __future__ import annotations

import torch



def causal_mask(n: int, device: torch.device | str | None = None) -> torch.Tensor:
    return torch.ones(n, n, dtype=torch.bool, device=device).tril()


def combine_masks(causal: torch.Tensor, key_padding: torch.Tensor) -> torch.Tensor:
    keep = key_padding.logical_not_()
    return causal[None, None, :, :] & keep[:, None, None, :]
