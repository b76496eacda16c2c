"""Known-wrong: features and labels of different lengths are accepted silently."""

import torch
from torch.utils.data import Dataset


class TabularDataset(Dataset):
    def __init__(self, features, labels, transform=None):
        self.features = torch.as_tensor(features, dtype=torch.float32)
        self.labels = torch.as_tensor(labels).long()
        self.transform = transform

    def __len__(self):
        return min(len(self.features), len(self.labels))

    def __getitem__(self, index):
        x = self.features[index]
        if self.transform is not None:
            x = self.transform(x)
        return x, self.labels[index]
