"""Known-correct alternative: merges in float64 via sums of centred squares (M2), a private helper refreshes std."""
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

    def _refresh_std(self) -> None:
        torch.sqrt(self.var + self.eps, out=self.std)

    def update(self, x: torch.Tensor) -> None:
        with torch.no_grad():
            x = x.detach().reshape(-1, self.num_features).to(torch.float64)
            b = x.size(0)
            if b == 0:
                return
            n = self.count.item()
            mean_b = x.mean(dim=0)
            m2_b = ((x - mean_b) ** 2).sum(dim=0)
            mean_a = self.mean.to(torch.float64)
            m2_a = self.var.to(torch.float64) * n
            delta = mean_b - mean_a
            total = n + b
            self.mean.copy_(mean_a + delta * b / total)
            self.var.copy_((m2_a + m2_b + delta * delta * n * b / total) / total)
            self.count.add_(b)
            self._refresh_std()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            self.update(x)
        with torch.no_grad():
            self._refresh_std()
        return (x - self.mean.detach()) / self.std.detach()
