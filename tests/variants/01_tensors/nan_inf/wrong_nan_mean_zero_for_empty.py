"""Known-wrong: returns 0.0 instead of NaN for an all-NaN slice."""

from __future__ import annotations

import torch


def nan_safe_mean(x: torch.Tensor, dim: int) -> torch.Tensor:
    keep = ~torch.isnan(x)
    total = torch.where(keep, x, torch.zeros((), dtype=x.dtype)).sum(dim)
    return total / keep.sum(dim).clamp_min(1).to(x.dtype)


def replace_nonfinite(x: torch.Tensor, value: float) -> torch.Tensor:
    return torch.nan_to_num(x, nan=value, posinf=value, neginf=value)


def nonfinite_rows(x: torch.Tensor) -> torch.Tensor:
    return (~torch.isfinite(x)).flatten(start_dim=1).any(dim=1).nonzero().squeeze(1)
