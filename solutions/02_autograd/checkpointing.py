"""Gradient checkpointing: pay for memory with a second forward pass.

Scenario (003 Q35). A deep residual MLP runs out of GPU memory at the batch size the team needs, and the
weights are not what fills it: the activations each block keeps for backward are. Gradient checkpointing keeps
only each block's *input* during the forward pass and, during backward, runs the block's forward again to get
back what it needs, trading compute for memory.

Task: write ``CheckpointedMLP.forward``. ``CheckpointedMLP`` subclasses ``PlainMLP`` (given, complete): same
constructor, same layers (``blocks`` and ``head``), same ``state_dict``, so weights load from one into the other.
- Run every block through ``torch.utils.checkpoint.checkpoint(block, x, use_reentrant=False)``, calling the block
  as a module (``block``, not ``block.forward``) so its hooks still fire; the head may run normally. Do so in
  training and in eval mode alike whenever grad is enabled: eval mode with grad on is checkpointed too.
- Same outputs and same gradients as ``PlainMLP`` with the same weights: also when the input does not require
  grad (data never does) and also with dropout in training mode (the recomputed forward must draw the same
  dropout masks as the first one; ``checkpoint`` restores the RNG state for that unless told not to).
- Leave the caller's input as it came: same values, same ``requires_grad``, no ``.grad`` planted on it.
- During backward each block runs its forward a second time: that is the recomputation checkpointing buys.
"""

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
            # non-reentrant: parameter gradients flow even when x does not require grad, and the RNG state is
            # restored for the recomputation, so dropout draws the same mask twice
            x = checkpoint(block, x, use_reentrant=False)
        return self.head(x)
