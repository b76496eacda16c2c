"""Known-wrong: uses the reentrant checkpoint, which gives no parameter gradients when the input needs none."""

import torch
from torch import nn
from torch.utils.checkpoint import checkpoint


class MLPBlock(nn.Module):

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

    def __init__(self, dim: int, depth: int, out_features: int, dropout: float = 0.0) -> None:
        super().__init__()
        self.blocks = nn.ModuleList([MLPBlock(dim, dropout) for _ in range(depth)])
        self.head = nn.Linear(dim, out_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for block in self.blocks:
            x = block(x)
        return self.head(x)


class CheckpointedMLP(PlainMLP):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for block in self.blocks:
            x = checkpoint(block, x, use_reentrant=True)
        return self.head(x)
