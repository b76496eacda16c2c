"""Known-wrong: catches only the error seen in the log (RuntimeError, OSError); empty or text files crash."""

import csv
from pathlib import Path

import torch
from torch.utils.data import Dataset, default_collate


class FolderDataset(Dataset):
    def __init__(self, root, labels_csv):
        with open(labels_csv, newline="") as handle:
            labels = {row["file_id"]: int(row["label"]) for row in csv.DictReader(handle)}
        self.samples = [(p, labels[p.stem]) for p in sorted(Path(root).glob("*.pt")) if p.stem in labels]

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, index):
        path, label = self.samples[index]
        try:
            return torch.load(path, weights_only=True), label
        except (RuntimeError, OSError):
            return None


def skip_none_collate(batch):
    kept = [item for item in batch if item is not None]
    return default_collate(kept) if kept else None
