"""Known-wrong variant: moves only the first Linear to dev0 (per-layer .to as in the seed): stage1's second Linear stays on the CPU."""

from __future__ import annotations

import torch
from torch import nn


class TwoStageModel(nn.Module):
    def __init__(
        self,
        dev0: torch.device | str,
        dev1: torch.device | str,
        in_features: int = 16,
        hidden: int = 32,
        num_classes: int = 4,
        split_size: int | None = None,
    ) -> None:
        super().__init__()
        self.dev0 = torch.device(dev0)
        self.dev1 = torch.device(dev1)
        self.split_size = split_size
        self.stage1 = nn.Sequential(
            nn.Linear(in_features, hidden).to(self.dev0), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU()
        )
        self.stage2 = nn.Sequential(nn.Linear(hidden, num_classes)).to(self.dev1)

    def _through(self, x: torch.Tensor) -> torch.Tensor:
        h = self.stage1(x.to(self.dev0))
        return self.stage2(h.to(self.dev1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.split_size is None:
            return self._through(x)
        return torch.cat([self._through(chunk) for chunk in x.split(self.split_size)])
