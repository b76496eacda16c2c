"""Known-wrong: any(dim=1) without flattening: for (N, D1, D2) input it returns (K, 2) coordinates."""

from __future__ import annotations

import torch


def nan_safe_mean(x: torch.Tensor, dim: int) -> torch.Tensor:
    return torch.nanmean(x, dim=dim)


def replace_nonfinite(x: torch.Tensor, value: float) -> torch.Tensor:
    return torch.nan_to_num(x, nan=value, posinf=value, neginf=value)


def nonfinite_rows(x: torch.Tensor) -> torch.Tensor:
    return (~torch.isfinite(x)).any(dim=1).nonzero().squeeze(1)
