"""Known-wrong: torch.as_tensor keeps numpy's float64 features."""

import torch
from torch.utils.data import Dataset


class TabularDataset(Dataset):
    def __init__(self, features, labels, transform=None):
        self.features = torch.as_tensor(features)
        self.labels = torch.as_tensor(labels).long()
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
