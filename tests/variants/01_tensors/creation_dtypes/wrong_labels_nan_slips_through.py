"""Known-wrong: as_labels checks fractions with remainder > 0, which is False for NaN, so NaN labels are cast."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch


def as_float32(data: Any) -> torch.Tensor:
    return torch.as_tensor(data, dtype=torch.float32)


def as_labels(data: Any) -> torch.Tensor:
    t = torch.as_tensor(data)
    if t.is_floating_point() and (t.remainder(1) > 0).any():
        raise ValueError("fractional label")
    return t.to(torch.int64)


def share_numpy(arr: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(arr)


def copy_numpy(arr: np.ndarray) -> torch.Tensor:
    return torch.tensor(arr)
