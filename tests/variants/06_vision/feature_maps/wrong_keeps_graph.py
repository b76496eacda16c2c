"""Known-wrong: runs with autograd on and stores the outputs attached to the graph."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import torch
from torch import nn
from torchvision.utils import save_image


def capture_activations(model: nn.Module, layer_names: Sequence[str], x: torch.Tensor) -> dict[str, torch.Tensor]:
    """``{name: detached copy of that submodule's output}`` from one forward pass of ``model(x)``."""
    captured: dict[str, torch.Tensor] = {}
    handles = []

    def keep_output(name: str):
        def hook(module: nn.Module, inputs: tuple, output: torch.Tensor) -> None:
            # clone: an in-place op later in the forward (ReLU(inplace=True)) would rewrite a mere view
            captured[name] = output.clone()
        return hook

    try:
        for name in layer_names:
            handles.append(model.get_submodule(name).register_forward_hook(keep_output(name)))
        model(x)
    finally:
        # a hook left behind fires on every later forward pass and keeps its tensors alive
        for handle in handles:
            handle.remove()
    return {name: captured[name] for name in layer_names}


def save_feature_grid(fmap: torch.Tensor, path: str | Path, nrow: int = 8) -> None:
    """Write ``fmap`` (C, H, W) as a PNG grid of per-channel grayscale tiles, each scaled to its own range."""
    tiles = fmap.detach().float().unsqueeze(1)  # (C, 1, H, W): a batch of one-channel images
    # scale_each: min-max per tile; normalize works on a copy, so the caller's tensor is untouched
    save_image(tiles, path, nrow=nrow, padding=2, normalize=True, scale_each=True)
