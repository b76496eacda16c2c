"""Known-correct alternative: sum/count with a natural 0/0 NaN; masked_fill; torch.where on a per-row all()."""

from __future__ import annotations

import torch


def nan_safe_mean(x: torch.Tensor, dim: int) -> torch.Tensor:
    nan = x.isnan()
    count = (~nan).sum(dim=dim).to(x.dtype)
    return x.masked_fill(nan, 0).sum(dim=dim) / count


def replace_nonfinite(x: torch.Tensor, value: float) -> torch.Tensor:
    return x.masked_fill(~x.isfinite(), value)


def nonfinite_rows(x: torch.Tensor) -> torch.Tensor:
    clean = x.isfinite().reshape(x.shape[0], -1).all(dim=1) if x.numel() else torch.ones(x.shape[0], dtype=torch.bool, device=x.device)
    return torch.where(~clean)[0]
