"""Known-wrong: as_float32 uses torch.tensor(data), keeping int64 / float64 instead of float32."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch


def as_float32(data: Any) -> torch.Tensor:
    return torch.tensor(data)


def as_labels(data: Any) -> torch.Tensor:
    labels = torch.as_tensor(data)
    if labels.is_floating_point() and not torch.equal(labels, labels.round()):
        raise ValueError("class labels must be whole numbers")
    return labels.to(torch.int64)


def share_numpy(arr: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(arr)


def copy_numpy(arr: np.ndarray) -> torch.Tensor:
    return torch.tensor(arr)
