"""Known-wrong: loads every scan in __init__ (all 100,000 in memory) and drops the corrupt ones up front."""

import csv
from pathlib import Path

import torch
from torch.utils.data import Dataset, default_collate


class FolderDataset(Dataset):
    def __init__(self, root, labels_csv):
        with open(labels_csv, newline="") as handle:
            labels = {row["file_id"]: int(row["label"]) for row in csv.DictReader(handle)}
        self.samples = []
        for path in sorted(Path(root).glob("*.pt")):
            if path.stem not in labels:
                continue
            try:
                self.samples.append((torch.load(path, weights_only=True), labels[path.stem]))
            except Exception:
                pass

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, index):
        return self.samples[index]


def skip_none_collate(batch):
    kept = [item for item in batch if item is not None]
    return default_collate(kept) if kept else None
