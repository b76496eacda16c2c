"""Known-wrong: var tracked as E[x^2] - mean^2 in float32 (catastrophic cancellation for data far from zero)."""
from __future__ import annotations

import torch
from torch import nn


class RunningMeanStd(nn.Module):
    def __init__(self, num_features: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.register_buffer("mean", torch.zeros(num_features))
        self.register_buffer("var", torch.ones(num_features))
        self.register_buffer("count", torch.tensor(0, dtype=torch.int64))
        self.register_buffer("std", torch.sqrt(self.var + eps), persistent=False)


    @torch.no_grad()
    def update(self, x: torch.Tensor) -> None:
        b = x.shape[0]
        if b == 0:
            return
        n = int(self.count)
        total = n + b
        sq = self.var + self.mean**2  # E[x^2] so far
        sq = (sq * n + (x * x).sum(0)) / total
        self.mean.copy_((self.mean * n + x.sum(0)) / total)
        self.var.copy_((sq - self.mean**2).clamp_min(0))
        self.count += b
        self.std.copy_(torch.sqrt(self.var + self.eps))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            self.update(x)
        with torch.no_grad():
            self.std.copy_(torch.sqrt(self.var + self.eps))
        return (x - self.mean) / self.std
