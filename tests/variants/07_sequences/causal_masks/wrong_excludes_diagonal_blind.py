"""Known-wrong: tril(-1) excludes the diagonal, so a token cannot attend to itself (row 0 attends to nothing)."""
from __future__ import annotations

import torch



def causal_mask(n: int, device: torch.device | str | None = None) -> torch.Tensor:
    return torch.ones(n, n, dtype=torch.bool, device=device).tril(-1)


def combine_masks(causal: torch.Tensor, key_padding: torch.Tensor) -> torch.Tensor:
    return causal[None, None, :, :] & ~key_padding[:, None, None, :]
