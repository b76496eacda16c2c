"""Known-correct alternative: causal from an arange comparison; combine by expand + clone + masked_fill."""
from __future__ import annotations

import torch



def causal_mask(n: int, device: torch.device | str | None = None) -> torch.Tensor:
    pos = torch.arange(n, device=device)
    return pos.unsqueeze(1) >= pos.unsqueeze(0)  # query i (rows) may see key j (cols) iff j <= i


def combine_masks(causal: torch.Tensor, key_padding: torch.Tensor) -> torch.Tensor:
    B, S = key_padding.shape
    T = causal.shape[0]
    allowed = causal.reshape(1, 1, T, S).expand(B, 1, T, S).clone()
    return allowed.masked_fill(key_padding.view(B, 1, 1, S), False)
