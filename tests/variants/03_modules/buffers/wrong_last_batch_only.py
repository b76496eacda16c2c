"""Known-wrong: replaces the statistics with the latest batch instead of merging."""

from __future__ import annotations

import torch
from torch import nn


class RunningMeanStd(nn.Module):
    def __init__(self, num_features: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        # buffers follow .to()/.cuda() and (if persistent) state_dict(), but are not in parameters()
        self.register_buffer("mean", torch.zeros(num_features))
        self.register_buffer("var", torch.ones(num_features))
        self.register_buffer("count", torch.tensor(0, dtype=torch.long))
        # derived from var, so saving it would only duplicate state (and could disagree with var)
        self.register_buffer("std", torch.sqrt(self.var + eps), persistent=False)

    @torch.no_grad()
    def update(self, x: torch.Tensor) -> None:
        batch_count = x.shape[0]
        if batch_count == 0:
            return
        batch_mean = x.mean(dim=0)
        batch_var = x.var(dim=0, unbiased=False)
        # Chan et al.'s parallel update: merge two (count, mean, M2) summaries without revisiting old data
        old_count = self.count.to(self.mean.dtype)
        total = old_count + batch_count
        delta = batch_mean - self.mean
        m2 = self.var * old_count + batch_var * batch_count + delta.pow(2) * old_count * batch_count / total
        self.mean.copy_(batch_mean)
        self.var.copy_(batch_var)
        self.count.add_(batch_count)
        self._refresh_std()

    @torch.no_grad()
    def _refresh_std(self) -> None:
        self.std.copy_(torch.sqrt(self.var + self.eps))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            self.update(x)
        # load_state_dict restores var but not this non-persistent cache: never trust a stale one
        self._refresh_std()
        return (x - self.mean) / self.std
