"""A Dataset for a table of features and class labels.

Scenario (000 Q2, 003 Q81-Q84). A churn table arrives as a numpy array of float64 features and a column of class
ids that pandas has turned into floats (1.0, 0.0, ...). The model wants float32 inputs and int64 targets for
``nn.CrossEntropyLoss``, the team wants per-sample augmentation, and the DataLoader wants a proper map-style
Dataset.

Task: write ``TabularDataset`` so that
- ``len(ds)`` is the number of rows; building it with features and labels of different lengths raises
  ``ValueError`` (silently zipping them would misalign every label after the first gap),
- ``ds[i]`` returns ``(x, y)``: ``x`` a float32 tensor of shape ``(D,)`` for row ``i``, ``y`` a 0-d int64 tensor,
- ``transform`` (if given) is called on ``x`` every time an item is fetched, so a random transform gives a fresh
  draw on every access,
- a negative index counts from the end, as for a list (``ds[-1]`` is the last row); an index past either end
  (``i >= len(ds)`` or ``i < -len(ds)``) raises ``IndexError`` (that is how Python's ``for x in ds`` knows where
  to stop),
- it works inside a ``torch.utils.data.DataLoader``.
``features`` (shape ``(N, D)``) and ``labels`` (shape ``(N,)``, one class id per row) may be numpy arrays, nested
Python lists or tensors.
"""

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
        raise NotImplementedError("05_data/custom_dataset: convert features to float32 and labels to int64, "
                                  "check their lengths match, keep the transform")

    def __len__(self) -> int:
        raise NotImplementedError("05_data/custom_dataset: return the number of rows")

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        raise NotImplementedError("05_data/custom_dataset: return (features[index] transformed, labels[index])")
