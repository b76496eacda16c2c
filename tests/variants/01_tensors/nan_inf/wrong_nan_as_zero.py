"""Known-wrong: replaces NaN with 0 and then averages, so NaNs still count in the denominator."""

from __future__ import annotations

import torch


def nan_safe_mean(x: torch.Tensor, dim: int) -> torch.Tensor:
    return torch.nan_to_num(x, nan=0.0).mean(dim=dim)


def replace_nonfinite(x: torch.Tensor, value: float) -> torch.Tensor:
    return torch.nan_to_num(x, nan=value, posinf=value, neginf=value)


def nonfinite_rows(x: torch.Tensor) -> torch.Tensor:
    return (~torch.isfinite(x)).flatten(start_dim=1).any(dim=1).nonzero().squeeze(1)
