"""Known-wrong: uses torch.from_numpy, so it only accepts numpy arrays (fails on nested lists and tensors)."""
from __future__ import annotations

from typing import Any, Callable

import torch
from torch.utils.data import Dataset


class TabularDataset(Dataset):
    def __init__(self, features: Any, labels: Any, transform: Callable[[torch.Tensor], torch.Tensor] | None = None) -> None:
        self.features = torch.from_numpy(features).float()
        self.labels = torch.from_numpy(labels).long()
        if len(self.features) != len(self.labels):
            raise ValueError("length mismatch")
        self.transform = transform

    def __len__(self) -> int:
        return len(self.features)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        x, y = self.features[index], self.labels[index]
        return (self.transform(x) if self.transform else x), y
