"""Feature maps: look inside a CNN with forward hooks, without touching its code, and leave nothing behind.

Scenario (002 Q8, Q12; 000 Q9). The pedestrian detector has a ResNet backbone that other teams import, so its
``forward`` must not change. You want to see what intermediate layers respond to: forward hooks hand you each
layer's output as the model runs. The seed's snippet registers a hook and never removes it, keeps outputs
attached to the autograd graph, and stores tensors that a later in-place ReLU overwrites.

Task:
- ``capture_activations(model, layer_names, x)``: run ``model(x)`` once and return
  ``{name: output of the submodule called name}`` for every dotted name in ``layer_names`` (the names of
  ``model.named_modules()``, such as ``"layer1.0.conv1"`` or ``"layer3"``; distinct names of layers that run
  during the forward pass and output a tensor), in that order. Each value is a
  detached copy: no autograd graph, and not changed by anything the model does afterwards (torchvision's ResNet
  applies ``ReLU(inplace=True)`` right after ``bn1``). If a layer runs more than once, keep its last output.
  Every hook you register is removed before you return, also when the forward pass raises or a name does not
  exist (then raise ``AttributeError`` or ``KeyError``). The forward pass runs in the caller's modes, and every
  submodule's mode (train/eval) is left as it was, also in a model whose submodules are in mixed modes.
- ``save_feature_grid(fmap, path, nrow=8)``: write one image's feature map ``fmap`` of shape ``(C, H, W)`` as a
  PNG grid with ``torchvision.utils``: one grayscale tile per channel, ``nrow`` tiles per row, the 2-pixel black
  border of ``make_grid``, each tile min-max scaled on its own (so a weak channel is as visible as a strong one;
  a constant channel is black). ``fmap`` itself is not modified.

Run ``python grader.py show 06_vision/feature_maps maps.png`` to see the first block's feature maps of an
untrained ResNet-18, drawn with your two functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import torch
from torch import nn
from torchvision.utils import save_image


def capture_activations(model: nn.Module, layer_names: Sequence[str], x: torch.Tensor) -> dict[str, torch.Tensor]:
    """``{name: detached copy of that submodule's output}`` from one forward pass of ``model(x)``."""
    # TODO: model.get_submodule(name).register_forward_hook(...) returns a handle; handle.remove() undoes it
    raise NotImplementedError("06_vision/feature_maps: hook the named layers, run the model once, remove the hooks")


def save_feature_grid(fmap: torch.Tensor, path: str | Path, nrow: int = 8) -> None:
    """Write ``fmap`` (C, H, W) as a PNG grid of per-channel grayscale tiles, each scaled to its own range."""
    # TODO: torchvision.utils.save_image (or make_grid) takes a batch of images (B, channels, H, W)
    raise NotImplementedError("06_vision/feature_maps: write the feature map as a PNG grid")
