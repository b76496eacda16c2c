"""Known-wrong: clamps the non-NaN count at 1, so an all-NaN slice gives 0.0 instead of NaN."""

from __future__ import annotations

import torch


def nan_safe_mean(x: torch.Tensor, dim: int) -> torch.Tensor:
    keep = ~torch.isnan(x)
    return torch.where(keep, x, 0).sum(dim) / keep.sum(dim).clamp_min(1)


def replace_nonfinite(x: torch.Tensor, value: float) -> torch.Tensor:
    return torch.nan_to_num(x, nan=value, posinf=value, neginf=value)


def nonfinite_rows(x: torch.Tensor) -> torch.Tensor:
    return (~torch.isfinite(x)).flatten(1).any(dim=1).nonzero().squeeze(1)
