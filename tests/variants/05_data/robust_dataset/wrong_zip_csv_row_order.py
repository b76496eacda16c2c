"""Known-wrong: labels joined by position (sorted files zipped with CSV rows in file order), not by id."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch.utils.data import Dataset, default_collate

import csv


class FolderDataset(Dataset):
    def __init__(self, root: str | Path, labels_csv: str | Path) -> None:
        with open(labels_csv, newline="") as fh:
            rows = list(csv.DictReader(fh))
        ids = {r["file_id"] for r in rows}
        files = sorted(p for p in Path(root).glob("*.pt") if p.stem in ids)
        present = {p.stem for p in files}
        kept_rows = [r for r in rows if r["file_id"] in present]
        self.paths = files
        self.labels = {p.stem: int(r["label"]) for p, r in zip(files, kept_rows)}

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
