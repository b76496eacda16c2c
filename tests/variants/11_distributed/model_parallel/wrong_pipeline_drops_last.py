"""Known-wrong variant: tutorial-style interleaved pipeline that forgets to run stage2 on the final chunk after the loop."""

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
            nn.Linear(in_features, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU()
        ).to(self.dev0)
        self.stage2 = nn.Sequential(nn.Linear(hidden, num_classes)).to(self.dev1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.split_size is None:
            return self.stage2(self.stage1(x.to(self.dev0)).to(self.dev1))
        splits = iter(x.split(self.split_size))
        s_prev = self.stage1(next(splits).to(self.dev0)).to(self.dev1)
        ret = []
        for s_next in splits:
            ret.append(self.stage2(s_prev))
            s_prev = self.stage1(s_next.to(self.dev0)).to(self.dev1)
        if not ret:  # a single chunk: nothing was appended in the loop
            ret.append(self.stage2(s_prev))
        return torch.cat(ret)
