"""Known-wrong: the transform runs once over the whole table in __init__, not per fetched item."""

import torch
from torch.utils.data import Dataset


class TabularDataset(Dataset):
    def __init__(self, features, labels, transform=None):
        self.features = torch.as_tensor(features, dtype=torch.float32)
        self.labels = torch.as_tensor(labels).long()
        if len(self.features) != len(self.labels):
            raise ValueError("length mismatch")
        if transform is not None:
            self.features = transform(self.features)

    def __len__(self):
        return len(self.features)

    def __getitem__(self, index):
        return self.features[index], self.labels[index]
