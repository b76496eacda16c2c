"""Known-wrong: ignores the causal argument and rebuilds a square tril of size S (right only for the default square causal mask)."""
from __future__ import annotations

import torch



def causal_mask(n: int, device: torch.device | str | None = None) -> torch.Tensor:
    return torch.ones(n, n, dtype=torch.bool, device=device).tril()


def combine_masks(causal: torch.Tensor, key_padding: torch.Tensor) -> torch.Tensor:
    S = key_padding.shape[1]
    return causal_mask(S, key_padding.device)[None, None] & ~key_padding[:, None, None, :]
