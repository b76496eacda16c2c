"""Known-wrong: statistics kept as plain tensor attributes, so .to() and state_dict() ignore them."""

import torch
from torch import nn


class RunningMeanStd(nn.Module):
    def __init__(self, num_features: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.num_features, self.eps = num_features, eps
        self.mean = torch.zeros(num_features)
        self.var = torch.ones(num_features)
        self.count = torch.tensor(0)
        self.std = torch.sqrt(self.var + eps)

    @torch.no_grad()
    def update(self, x: torch.Tensor) -> None:
        n = x.shape[0]
        if n == 0:
            return
        old = self.count.float()
        total = old + n
        delta = x.mean(0) - self.mean
        m2 = self.var * old + x.var(0, unbiased=False) * n + delta ** 2 * old * n / total
        self.mean = self.mean + delta * n / total
        self.var = m2 / total
        self.count = self.count + n
        self.std = torch.sqrt(self.var + self.eps)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            self.update(x)
        self.std = torch.sqrt(self.var + self.eps)
        return (x - self.mean) / self.std
