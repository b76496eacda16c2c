"""Known-wrong: finds bad entries with x != x, which catches NaN but not +-inf."""

from __future__ import annotations

import torch


def nan_safe_mean(x: torch.Tensor, dim: int) -> torch.Tensor:
    return torch.nanmean(x, dim=dim)


def replace_nonfinite(x: torch.Tensor, value: float) -> torch.Tensor:
    out = x.clone()
    out[out != out] = value
    return out


def nonfinite_rows(x: torch.Tensor) -> torch.Tensor:
    return (~torch.isfinite(x)).flatten(1).any(dim=1).nonzero().squeeze(1)
