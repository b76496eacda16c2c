"""Known-wrong: file id taken as name.split('.')[0], wrong for ids that contain a dot (scan.v2.pt)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch.utils.data import Dataset, default_collate

import csv
import os


class FolderDataset(Dataset):
    def __init__(self, root: str | Path, labels_csv: str | Path) -> None:
        with open(labels_csv, newline="") as fh:
            self.labels = {r["file_id"]: int(r["label"]) for r in csv.DictReader(fh)}
        self.items = []
        for name in sorted(os.listdir(root)):
            fid = name.split(".")[0]
            if name.endswith(".pt") and fid in self.labels:
                self.items.append((Path(root) / name, fid))

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int):
        path, fid = self.items[index]
        try:
            scan = torch.load(path, weights_only=True)
        except Exception:
            return None
        return scan, self.labels[fid]


def skip_none_collate(batch: list[Any]) -> Any:
    kept = [b for b in batch if b is not None]
    return default_collate(kept) if kept else None
