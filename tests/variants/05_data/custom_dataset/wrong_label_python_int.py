"""Known-wrong: y is a Python int, not a 0-d int64 tensor (a DataLoader would hide it by collating)."""
from __future__ import annotations

from typing import Any, Callable

import torch
from torch.utils.data import Dataset


class TabularDataset(Dataset):
    def __init__(self, features: Any, labels: Any, transform: Callable[[torch.Tensor], torch.Tensor] | None = None) -> None:
        self.features = torch.as_tensor(features, dtype=torch.float32)
        self.labels = [int(v) for v in labels]
        if len(self.features) != len(self.labels):
            raise ValueError("length mismatch")
        self.transform = transform

    def __len__(self) -> int:
        return len(self.features)

    def __getitem__(self, index: int):
        x = self.features[index]
        return (self.transform(x) if self.transform else x), self.labels[index]
