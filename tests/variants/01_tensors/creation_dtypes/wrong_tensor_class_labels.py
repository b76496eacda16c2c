"""Known-wrong: labels built with torch.Tensor(data), which always makes float32."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch


def as_float32(data: Any) -> torch.Tensor:
    return torch.as_tensor(data, dtype=torch.float32)


def as_labels(data: Any) -> torch.Tensor:
    labels = torch.Tensor(data)
    if not torch.equal(labels, labels.round()):
        raise ValueError("class labels must be whole numbers")
    return labels


def share_numpy(arr: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(arr)


def copy_numpy(arr: np.ndarray) -> torch.Tensor:
    return torch.tensor(arr)
