"""Known-correct alternative: the model-parallel tutorial's interleaved loop (stage1 on chunk i+1 issued before stage2 on chunk i)."""

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
        size = x.shape[0] if self.split_size is None else self.split_size
        if size == 0 or x.shape[0] == 0:
            return self.stage2(self.stage1(x.to(self.dev0)).to(self.dev1))
        splits = iter(x.split(size))
        s_prev = self.stage1(next(splits).to(self.dev0)).to(self.dev1)
        ret = []
        for s_next in splits:
            ret.append(self.stage2(s_prev))                             # stage 2 on chunk i (dev1)
            s_prev = self.stage1(s_next.to(self.dev0)).to(self.dev1)    # stage 1 on chunk i+1 (dev0)
        ret.append(self.stage2(s_prev))
        return torch.cat(ret)
