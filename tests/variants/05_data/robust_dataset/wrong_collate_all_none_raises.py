"""Known-wrong: skip_none_collate calls default_collate([]) on an all-corrupt batch (IndexError) instead of returning None."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch.utils.data import Dataset, default_collate

import csv


class FolderDataset(Dataset):
    def __init__(self, root: str | Path, labels_csv: str | Path) -> None:
        with open(labels_csv, newline="") as fh:
            self.labels = {r["file_id"]: int(r["label"]) for r in csv.DictReader(fh)}
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
    return default_collate([b for b in batch if b is not None])
