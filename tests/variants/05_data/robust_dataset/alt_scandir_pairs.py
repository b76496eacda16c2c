"""Known-correct alternative: os.scandir + csv.reader, stores (path, label) pairs, filter() in the collate."""
from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

import torch
from torch.utils.data import Dataset, default_collate


def _read_labels(labels_csv) -> dict[str, int]:
    with open(labels_csv, newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        i_id, i_label = header.index("file_id"), header.index("label")
        return {row[i_id]: int(row[i_label]) for row in reader if row}


class FolderDataset(Dataset):
    def __init__(self, root: str | Path, labels_csv: str | Path) -> None:
        labels = _read_labels(labels_csv)
        pairs = []
        with os.scandir(root) as it:
            for entry in it:
                if entry.is_file() and entry.name.endswith(".pt"):
                    file_id = entry.name[: -len(".pt")]
                    if file_id in labels:
                        pairs.append((entry.path, labels[file_id]))
        self._pairs = sorted(pairs)

    def __len__(self) -> int:
        return len(self._pairs)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int] | None:
        path, label = self._pairs[index]
        try:
            return torch.load(path, weights_only=True), label
        except Exception:
            return None


def skip_none_collate(batch: list[Any]) -> Any:
    kept = list(filter(lambda item: item is not None, batch))
    if len(kept) == 0:
        return None
    return default_collate(kept)
