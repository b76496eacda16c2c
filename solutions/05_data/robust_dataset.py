"""A dataset over a messy folder: labels joined by file id, unreadable files skipped.

Scenario (002 Q5). 100,000 MRI scans sit in one folder; some of the files are corrupt, and the labels come in a
separate CSV whose rows are in a different order from the files and do not always match them. The first version
zipped the sorted file list with the CSV rows and trained for a week on shuffled labels.

The format (the tests write small folders like this into a temporary directory):
- ``root/<file_id>.pt``: one scan, a float32 tensor saved with ``torch.save``; read it with
  ``torch.load(path, weights_only=True)`` (never ``weights_only=False``: a file holding anything but tensors must
  not be unpickled, so it raises too). A corrupt file makes ``torch.load`` raise (which exception depends on
  the damage: an empty file, a truncated one and a text file each raise a different type).
  The id is the file name without its ``.pt`` suffix, dots included (``scan_007.v2.pt`` has the id
  ``scan_007.v2``). Only ``.pt`` files directly in ``root`` are scans: other files and subfolders are not.
- ``labels_csv``: a CSV file with the header ``file_id,label`` and one row per scan, e.g. ``scan_007,1``,
  rows in any order.

Task:
- ``FolderDataset(root, labels_csv)`` holds one sample per ``.pt`` file in ``root`` whose id has a row in the CSV.
  Files without a row and rows without a file are left out. Do not open the scans in ``__init__``: with 100,000
  of them, reading happens lazily in ``__getitem__``.
- ``ds[i]`` returns ``(scan, label)``, ``label`` a Python ``int`` looked up by the file's id; or ``None`` when the
  file cannot be loaded (``torch.load`` raises). Never a dummy sample: a zero scan labelled -1 poisons the batch.
- ``skip_none_collate(batch)`` drops the ``None`` items and collates the rest with ``default_collate``; when nothing
  is left it returns ``None`` (the training loop skips such a batch).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import torch
from torch.utils.data import Dataset, default_collate


class FolderDataset(Dataset):
    def __init__(self, root: str | Path, labels_csv: str | Path) -> None:
        with open(labels_csv, newline="") as handle:
            labels = {row["file_id"]: int(row["label"]) for row in csv.DictReader(handle)}
        # Join on the id, never on position: the CSV order says nothing about the file order.
        self.samples: list[tuple[Path, int]] = [
            (path, labels[path.stem]) for path in sorted(Path(root).glob("*.pt")) if path.stem in labels
        ]

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int] | None:
        path, label = self.samples[index]
        try:
            scan = torch.load(path, weights_only=True)
        except Exception:
            # Empty, truncated and garbage files each raise a different type; any of them means "skip".
            return None
        return scan, label


def skip_none_collate(batch: list[Any]) -> Any:
    kept = [item for item in batch if item is not None]
    if not kept:
        return None
    return default_collate(kept)
