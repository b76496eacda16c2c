"""Known-correct alternative: delegates storage and indexing to an inner TensorDataset."""
from __future__ import annotations

from typing import Any, Callable

import torch
from torch.utils.data import Dataset

from torch.utils.data import TensorDataset


class TabularDataset(Dataset):
    def __init__(
        self,
        features: Any,
        labels: Any,
        transform: Callable[[torch.Tensor], torch.Tensor] | None = None,
    ) -> None:
        x = torch.tensor(features, dtype=torch.float32) if not torch.is_tensor(features) else features.float()
        y = torch.as_tensor(labels).long()
        if x.shape[0] != y.shape[0]:
            raise ValueError("features and labels differ in length")
        self._inner = TensorDataset(x, y)
        self.transform = transform

    def __len__(self) -> int:
        return len(self._inner)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        x, y = self._inner[index]
        return (self.transform(x) if self.transform else x), y
