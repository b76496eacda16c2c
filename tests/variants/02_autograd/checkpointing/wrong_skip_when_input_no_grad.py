"""Known-wrong variant: skips checkpoint when the block input does not require grad, so the first block (data input) is never recomputed and keeps its activations."""

from __future__ import annotations

import torch
from torch import nn
from torch.utils.checkpoint import checkpoint


class MLPBlock(nn.Module):
    """Pre-norm residual block: ``x + dropout(fc2(gelu(fc1(norm(x)))))``."""

    def __init__(self, dim: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, 2 * dim)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(2 * dim, dim)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.drop(self.fc2(self.act(self.fc1(self.norm(x)))))


class PlainMLP(nn.Module):
    """``depth`` residual blocks of width ``dim`` and a linear head."""

    def __init__(self, dim: int, depth: int, out_features: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.blocks = nn.ModuleList([MLPBlock(dim, dropout) for _ in range(depth)])
        self.head = nn.Linear(dim, out_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for block in self.blocks:
            x = block(x)
        return self.head(x)


class CheckpointedMLP(PlainMLP):
    """``PlainMLP`` whose blocks are recomputed during backward instead of keeping their activations."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for block in self.blocks:
            if x.requires_grad:
                x = checkpoint(block, x, use_reentrant=False)
            else:
                x = block(x)
        return self.head(x)
