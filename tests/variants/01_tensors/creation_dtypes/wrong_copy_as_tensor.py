"""Known-wrong: copy_numpy uses torch.as_tensor(arr), which shares memory instead of copying."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch


def as_float32(data: Any) -> torch.Tensor:
    return torch.as_tensor(data, dtype=torch.float32)


def as_labels(data: Any) -> torch.Tensor:
    t = torch.as_tensor(data)
    if t.is_floating_point() and not torch.equal(t, t.round()):
        raise ValueError("fractional or NaN label")
    return t.to(torch.int64)


def share_numpy(arr: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(arr)


def copy_numpy(arr: np.ndarray) -> torch.Tensor:
    return torch.as_tensor(arr)
