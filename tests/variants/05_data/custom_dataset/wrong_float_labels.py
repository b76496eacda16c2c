"""Known-wrong: labels converted as float32 (the seed's torch.tensor(y, dtype=torch.float32))."""

import torch
from torch.utils.data import Dataset


class TabularDataset(Dataset):
    def __init__(self, features, labels, transform=None):
        self.features = torch.as_tensor(features, dtype=torch.float32)
        self.labels = torch.tensor(labels, dtype=torch.float32)
        if len(self.features) != len(self.labels):
            raise ValueError("length mismatch")
        self.transform = transform

    def __len__(self):
        return len(self.features)

    def __getitem__(self, index):
        x = self.features[index]
        if self.transform is not None:
            x = self.transform(x)
        return x, self.labels[index]
