"""Known-wrong: labels become int32 (torch.int), not int64."""
from __future__ import annotations

from typing import Any, Callable

import torch
from torch.utils.data import Dataset


class TabularDataset(Dataset):
    def __init__(self, features: Any, labels: Any, transform: Callable[[torch.Tensor], torch.Tensor] | None = None) -> None:
        self.features = torch.as_tensor(features, dtype=torch.float32)
        self.labels = torch.as_tensor(labels).int()
        if len(self.features) != len(self.labels):
            raise ValueError("length mismatch")
        self.transform = transform

    def __len__(self) -> int:
        return len(self.features)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        x, y = self.features[index], self.labels[index]
        return (self.transform(x) if self.transform else x), y
