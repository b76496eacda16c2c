"""Known-correct alternative: layers created directly on their device (device= factory kwarg); forward reads devices off the parameters."""

from __future__ import annotations

import torch
from torch import nn


def _device_of(module: nn.Module) -> torch.device:
    return next(module.parameters()).device


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
        self.split_size = split_size
        self.stage1 = nn.Sequential(
            nn.Linear(in_features, hidden, device=dev0),
            nn.ReLU(),
            nn.Linear(hidden, hidden, device=dev0),
            nn.ReLU(),
        )
        self.stage2 = nn.Sequential(nn.Linear(hidden, num_classes, device=dev1))

    def _chunks(self, x: torch.Tensor):
        if self.split_size is None:
            yield x
            return
        for start in range(0, x.shape[0], self.split_size):
            yield x.narrow(0, start, min(self.split_size, x.shape[0] - start))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        d0, d1 = _device_of(self.stage1), _device_of(self.stage2)
        chunks = list(self._chunks(x)) or [x]  # an empty batch still goes through once
        outs = [self.stage2(self.stage1(c.to(d0)).to(d1)) for c in chunks]
        return outs[0] if len(outs) == 1 else torch.cat(outs, dim=0)
