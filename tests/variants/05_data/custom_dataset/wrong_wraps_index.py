"""Known-wrong: wraps the index around (index % len) instead of raising IndexError past the end."""

import torch
from torch.utils.data import Dataset


class TabularDataset(Dataset):
    def __init__(self, features, labels, transform=None):
        self.features = torch.as_tensor(features, dtype=torch.float32)
        self.labels = torch.as_tensor(labels).long()
        if len(self.features) != len(self.labels):
            raise ValueError("length mismatch")
        self.transform = transform

    def __len__(self):
        return len(self.features)

    def __getitem__(self, index):
        index = index % len(self)
        x = self.features[index]
        if self.transform is not None:
            x = self.transform(x)
        return x, self.labels[index]
