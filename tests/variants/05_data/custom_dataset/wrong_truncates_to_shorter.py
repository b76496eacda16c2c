"""Known-wrong: mismatched lengths are silently truncated to the shorter one instead of raising ValueError."""
from __future__ import annotations

from typing import Any, Callable

import torch
from torch.utils.data import Dataset


class TabularDataset(Dataset):
    def __init__(self, features: Any, labels: Any, transform: Callable[[torch.Tensor], torch.Tensor] | None = None) -> None:
        n = min(len(features), len(labels))
        self.features = torch.as_tensor(features, dtype=torch.float32)[:n]
        self.labels = torch.as_tensor(labels).long()[:n]
        self.transform = transform

    def __len__(self) -> int:
        return len(self.features)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        x, y = self.features[index], self.labels[index]
        return (self.transform(x) if self.transform else x), y
