"""Known-correct alternative: numerically the same via nanmean on movedim; torch.where with full_like; arange masking."""

from __future__ import annotations

import torch


def nan_safe_mean(x: torch.Tensor, dim: int) -> torch.Tensor:
    return x.movedim(dim, -1).nanmean(dim=-1)


def replace_nonfinite(x: torch.Tensor, value: float) -> torch.Tensor:
    return torch.where(torch.isfinite(x), x, torch.full_like(x, value))


def _row_has_nonfinite(x: torch.Tensor) -> torch.Tensor:
    bad = ~torch.isfinite(x)
    return bad.flatten(1).any(dim=1) if x.dim() > 1 else bad


def nonfinite_rows(x: torch.Tensor) -> torch.Tensor:
    return torch.arange(x.shape[0], device=x.device)[_row_has_nonfinite(x)]
