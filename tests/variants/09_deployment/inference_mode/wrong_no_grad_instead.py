"""Known-wrong: uses torch.no_grad(), so the output is not an inference tensor."""
from __future__ import annotations

import torch
from torch import nn


def predict(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(x)
    finally:
        model.train(was_training)
