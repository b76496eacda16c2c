"""Known-wrong: labels parsed with numpy, so the label is numpy.int64, not a Python int."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch.utils.data import Dataset, default_collate

import numpy as np


class FolderDataset(Dataset):
    def __init__(self, root: str | Path, labels_csv: str | Path) -> None:
        table = np.loadtxt(labels_csv, delimiter=",", skiprows=1, dtype=str, ndmin=2)
        self.labels = {fid: np.int64(lab) for fid, lab in table}
        self.paths = sorted(p for p in Path(root).glob("*.pt") if p.stem in self.labels)

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, index: int):
        path = self.paths[index]
        try:
            scan = torch.load(path, weights_only=True)
        except Exception:
            return None
        return scan, self.labels[path.stem]


def skip_none_collate(batch: list[Any]) -> Any:
    kept = [b for b in batch if b is not None]
    return default_collate(kept) if kept else None
