"""Known-wrong: rewritten blocks hard-code nn.Dropout(0.1), ignoring the dropout argument (right on the default only)."""
from __future__ import annotations

import torch
from torch import nn


class MultiTaskNet(nn.Module):
    def __init__(self, in_features: int, hidden: int, depth: int, tasks: dict[str, int], dropout: float = 0.1) -> None:
        super().__init__()
        self.stem = nn.Linear(in_features, hidden)
        self.blocks = nn.ModuleList()
        for _ in range(depth):
            self.blocks.append(nn.Sequential(nn.Linear(hidden, hidden), nn.LayerNorm(hidden), nn.ReLU(), nn.Dropout(0.1)))
        self.heads = nn.ModuleDict({task: nn.Linear(hidden, size) for task, size in tasks.items()})

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        h = torch.relu(self.stem(x))
        for block in self.blocks:
            h = h + block(h)
        return {task: head(h) for task, head in self.heads.items()}
