"""Known-wrong: the transform runs once per row in __init__, so a random transform never redraws."""
from __future__ import annotations

from typing import Any, Callable

import torch
from torch.utils.data import Dataset


class TabularDataset(Dataset):
    def __init__(self, features: Any, labels: Any, transform: Callable[[torch.Tensor], torch.Tensor] | None = None) -> None:
        self.features = torch.as_tensor(features, dtype=torch.float32)
        self.labels = torch.as_tensor(labels).long()
        if len(self.features) != len(self.labels):
            raise ValueError("length mismatch")
        if transform is not None:  # "precompute to save time"
            self.features = torch.stack([transform(row) for row in self.features])
        self.transform = transform

    def __len__(self) -> int:
        return len(self.features)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.features[index], self.labels[index]
