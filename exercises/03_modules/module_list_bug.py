"""Fix the bug: the multi-task network whose hidden layers never learn.

Scenario (003 Q49). A face-attribute model has a configurable trunk of ``depth`` blocks and one head per task.
It runs without an error, yet users report that:
- the loss drops for a few steps, then plateaus far above the baseline's;
- ``sum(p.numel() for p in model.parameters())`` is a small fraction of what the config implies;
- after ``model.to("cuda")`` the first forward fails with "Expected all tensors to be on the same device";
- in eval mode, two predictions on the same batch differ;
- a model reloaded from its checkpoint predicts something completely different from the one that was saved.

Task: fix ``MultiTaskNet`` so that every layer belongs to the model: counted by ``parameters()``, updated by the
optimizer, moved by ``.to()``, switched by ``.train()``/``.eval()``, and saved and restored by ``state_dict()``.
Keep the constructor (``depth`` independent blocks, each with its Dropout of probability ``dropout``), the
forward computation (``h = relu(stem(x))``, then ``h = h + block(h)`` for each block in turn, and a dict with one
``heads[task](h)`` per task, in the order of ``tasks``) and the attribute names: the tests read ``model.stem``,
``model.blocks[i]`` and ``model.heads[task]``.
"""

from __future__ import annotations

import torch
from torch import nn


class MultiTaskNet(nn.Module):
    def __init__(self, in_features: int, hidden: int, depth: int, tasks: dict[str, int], dropout: float = 0.1) -> None:
        super().__init__()
        self.stem = nn.Linear(in_features, hidden)
        self.blocks = []
        for _ in range(depth):
            block = nn.Sequential(nn.Linear(hidden, hidden), nn.LayerNorm(hidden), nn.ReLU(), nn.Dropout(dropout))
            self.blocks.append(block)
        self.heads = {task: nn.Linear(hidden, size) for task, size in tasks.items()}

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        h = torch.relu(self.stem(x))
        for block in self.blocks:
            h = h + block(h)
        return {task: head(h) for task, head in self.heads.items()}
