"""Known-wrong: as_labels casts with .long() without checking, so 1.5 silently becomes class 1."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch


def as_float32(data: Any) -> torch.Tensor:
    return torch.as_tensor(data, dtype=torch.float32)


def as_labels(data: Any) -> torch.Tensor:
    return torch.as_tensor(data).long()


def share_numpy(arr: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(arr)


def copy_numpy(arr: np.ndarray) -> torch.Tensor:
    return torch.tensor(arr)
