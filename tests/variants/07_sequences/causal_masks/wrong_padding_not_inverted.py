"""Known-wrong: ANDs key_padding directly (forgets True = padding), so only padding keys are allowed."""
from __future__ import annotations

import torch



def causal_mask(n: int, device: torch.device | str | None = None) -> torch.Tensor:
    return torch.ones(n, n, dtype=torch.bool, device=device).tril()


def combine_masks(causal: torch.Tensor, key_padding: torch.Tensor) -> torch.Tensor:
    return causal[None, None, :, :] & key_padding[:, None, None, :]
