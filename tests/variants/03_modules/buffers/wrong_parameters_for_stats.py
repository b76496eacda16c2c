"""Known-wrong: statistics registered as nn.Parameter(requires_grad=False) instead of buffers."""

import torch
from torch import nn


class RunningMeanStd(nn.Module):
    def __init__(self, num_features: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.num_features, self.eps = num_features, eps
        self.mean = nn.Parameter(torch.zeros(num_features), requires_grad=False)
        self.var = nn.Parameter(torch.ones(num_features), requires_grad=False)
        self.count = nn.Parameter(torch.tensor(0), requires_grad=False)
        self.register_buffer("std", torch.sqrt(self.var.detach() + eps), persistent=False)

    @torch.no_grad()
    def update(self, x: torch.Tensor) -> None:
        n = x.shape[0]
        if n == 0:
            return
        old = self.count.to(self.mean.dtype)
        total = old + n
        delta = x.mean(0) - self.mean
        m2 = self.var * old + x.var(0, unbiased=False) * n + delta ** 2 * old * n / total
        self.mean.add_(delta * n / total)
        self.var.copy_(m2 / total)
        self.count.add_(n)
        self.std.copy_(torch.sqrt(self.var + self.eps))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            self.update(x)
        with torch.no_grad():
            self.std.copy_(torch.sqrt(self.var + self.eps))
        return (x - self.mean) / self.std
