"""Known-wrong: always puts the model back in train mode, even when the caller had it in eval."""
from __future__ import annotations

import torch
from torch import nn


def predict(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    model.eval()
    try:
        with torch.inference_mode():
            return model(x)
    finally:
        model.train()
