"""Known-wrong: broadcasts the padding over the query dimension (B, 1, S, 1): padding queries lose every key, padding keys stay visible."""
from __future__ import annotations

import torch



def causal_mask(n: int, device: torch.device | str | None = None) -> torch.Tensor:
    return torch.ones(n, n, dtype=torch.bool, device=device).tril()


def combine_masks(causal: torch.Tensor, key_padding: torch.Tensor) -> torch.Tensor:
    return causal[None, None, :, :] & ~key_padding[:, None, :, None]
