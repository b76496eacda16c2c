"""Known-wrong: the heads are registered in sorted task order, so the output dict no longer follows tasks' order."""
from __future__ import annotations

import torch
from torch import nn


class MultiTaskNet(nn.Module):
    def __init__(self, in_features: int, hidden: int, depth: int, tasks: dict[str, int], dropout: float = 0.1) -> None:
        super().__init__()
        self.stem = nn.Linear(in_features, hidden)
        self.blocks = nn.ModuleList(
            nn.Sequential(nn.Linear(hidden, hidden), nn.LayerNorm(hidden), nn.ReLU(), nn.Dropout(dropout)) for _ in range(depth)
        )
        self.heads = nn.ModuleDict({task: nn.Linear(hidden, tasks[task]) for task in sorted(tasks)})

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        h = torch.relu(self.stem(x))
        for block in self.blocks:
            h = h + block(h)
        return {task: head(h) for task, head in self.heads.items()}
