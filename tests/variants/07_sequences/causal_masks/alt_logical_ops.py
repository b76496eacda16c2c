"""Known-correct alternative: triu complement for causal; torch.logical_and / logical_not with unsqueeze."""
from __future__ import annotations

import torch



def causal_mask(n: int, device: torch.device | str | None = None) -> torch.Tensor:
    future = torch.ones((n, n), dtype=torch.bool, device=device).triu(diagonal=1)
    return ~future


def combine_masks(causal: torch.Tensor, key_padding: torch.Tensor) -> torch.Tensor:
    keys_ok = torch.logical_not(key_padding).unsqueeze(1).unsqueeze(1)  # (B, 1, 1, S)
    return torch.logical_and(causal.unsqueeze(0).unsqueeze(0), keys_ok)
