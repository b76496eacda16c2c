"""Known-wrong: log(sigmoid(x) + eps): no more inf, but wrong values and vanishing gradients at large logits."""

from __future__ import annotations

import torch

EPS = 1e-8


def log_sigmoid(x: torch.Tensor) -> torch.Tensor:
    return torch.log(torch.sigmoid(x) + EPS)


def binary_cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    p = torch.sigmoid(logits)
    return -(targets * torch.log(p + EPS) + (1 - targets) * torch.log(1 - p + EPS)).mean()
