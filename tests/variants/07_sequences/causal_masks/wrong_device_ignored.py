"""Known-wrong: causal_mask ignores device and always builds on the CPU."""
from __future__ import annotations

import torch



def causal_mask(n: int, device: torch.device | str | None = None) -> torch.Tensor:
    return torch.tril(torch.ones(n, n)).bool()


def combine_masks(causal: torch.Tensor, key_padding: torch.Tensor) -> torch.Tensor:
    return causal[None, None, :, :] & ~key_padding[:, None, None, :]
