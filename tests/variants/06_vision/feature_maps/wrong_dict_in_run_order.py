"""Known-wrong: returns the dict the hooks filled, in the order the layers ran, not the order of layer_names."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import torch
from torch import nn
from torchvision.utils import save_image


def capture_activations(model: nn.Module, layer_names: Sequence[str], x: torch.Tensor) -> dict[str, torch.Tensor]:
    """Capture."""
    seen: dict[str, torch.Tensor] = {}
    handles = []

    def make_hook(name):
        def hook(module, args, output):
            seen[name] = output.detach().clone()
        return hook

    try:
        for name in layer_names:
            handles.append(model.get_submodule(name).register_forward_hook(make_hook(name)))
        model(x)
    finally:
        for h in handles:
            h.remove()
    return seen

def save_feature_grid(fmap: torch.Tensor, path: str | Path, nrow: int = 8) -> None:
    """Save grid."""
    save_image(fmap.detach().unsqueeze(1), path, nrow=nrow, normalize=True, scale_each=True)
