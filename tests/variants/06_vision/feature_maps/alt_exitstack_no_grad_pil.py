"""Known-correct alternative: handles as context managers in an ExitStack, forward under no_grad; PNG written as 8-bit L via PIL."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import torch
from torch import nn
from torchvision.utils import save_image

from contextlib import ExitStack

from PIL import Image
from torchvision.utils import make_grid


def capture_activations(model: nn.Module, layer_names: Sequence[str], x: torch.Tensor) -> dict[str, torch.Tensor]:
    """Capture."""
    store: dict[str, torch.Tensor] = {}
    with ExitStack() as stack:
        for name in layer_names:
            module = model.get_submodule(name)
            hook = lambda m, a, out, _n=name: store.__setitem__(_n, out.detach().clone())
            stack.enter_context(module.register_forward_hook(hook))
        with torch.no_grad():
            model(x)
    return {name: store[name] for name in layer_names}


def save_feature_grid(fmap: torch.Tensor, path: str | Path, nrow: int = 8) -> None:
    """Save grid."""
    grid = make_grid(fmap.detach().cpu().unsqueeze(1), nrow=nrow, normalize=True, scale_each=True)
    pixels = grid[0].mul(255).add(0.5).clamp(0, 255).to(torch.uint8).numpy()
    Image.fromarray(pixels).save(path, format="PNG")
