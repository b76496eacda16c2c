"""Known-wrong: lists every file of root by stem, so a labelled non-.pt file (scan_003.npy) becomes a sample."""
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
        self.paths = sorted(p for p in Path(root).iterdir() if p.is_file() and p.stem in self.labels)

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
