"""Known-wrong: returns (B, T, S) without the head dimension; SDPA then broadcasts B against the heads (right for B == 1)."""
from __future__ import annotations

import torch



def causal_mask(n: int, device: torch.device | str | None = None) -> torch.Tensor:
    return torch.ones(n, n, dtype=torch.bool, device=device).tril()


def combine_masks(causal: torch.Tensor, key_padding: torch.Tensor) -> torch.Tensor:
    return causal[None, :, :] & ~key_padding[:, None, :]
