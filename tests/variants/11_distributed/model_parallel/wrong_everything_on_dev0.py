"""Known-wrong: builds stage 2 on dev0 too, then moves its input to dev0."""

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
        self.dev0, self.dev1 = torch.device(dev0), torch.device(dev0)
        self.split_size = split_size
        self.stage1 = nn.Sequential(
            nn.Linear(in_features, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU()
        ).to(self.dev0)
        self.stage2 = nn.Sequential(nn.Linear(hidden, num_classes)).to(self.dev0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.split_size is None:
            return self._through_both(x)
        chunks = iter(x.split(self.split_size, dim=0))
        handed_over = self.stage1(next(chunks).to(self.dev0)).to(self.dev1)
        outputs = []
        for chunk in chunks:
            outputs.append(self.stage2(handed_over))
            handed_over = self.stage1(chunk.to(self.dev0)).to(self.dev1)
        outputs.append(self.stage2(handed_over))
        return torch.cat(outputs)

    def _through_both(self, x: torch.Tensor) -> torch.Tensor:
        return self.stage2(self.stage1(x.to(self.dev0)).to(self.dev1))
