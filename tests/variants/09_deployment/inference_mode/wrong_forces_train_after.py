"""Known-wrong: eval + inference_mode, then a blanket model.train() that flips an eval-mode caller."""

from __future__ import annotations

import torch
from torch import nn


def predict(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    model.eval()
    with torch.inference_mode():
        out = model(x)
    model.train()
    return out
