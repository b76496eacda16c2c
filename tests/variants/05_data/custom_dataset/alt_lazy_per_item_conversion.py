"""Known-correct alternative: keeps the raw input and converts one row per access in __getitem__."""
from __future__ import annotations

from typing import Any, Callable

import torch
from torch.utils.data import Dataset


class TabularDataset(Dataset):
    def __init__(
        self,
        features: Any,
        labels: Any,
        transform: Callable[[torch.Tensor], torch.Tensor] | None = None,
    ) -> None:
        if len(features) != len(labels):
            raise ValueError(f"{len(features)} feature rows but {len(labels)} labels")
        self._features = features
        self._labels = labels
        self.transform = transform

    def __len__(self) -> int:
        return len(self._features)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        # raw indexing of a list, an ndarray or a tensor raises IndexError past the end
        x = torch.as_tensor(self._features[index]).to(torch.float32).reshape(-1)
        y = torch.as_tensor(self._labels[index]).to(torch.int64).reshape(())
        if self.transform is not None:
            x = self.transform(x)
        return x, y
