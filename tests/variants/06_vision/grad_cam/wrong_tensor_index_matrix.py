"""Known-wrong: logits[:, class_idx] with a (N,) tensor makes an N x N block, so each image's score sums every requested class."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def grad_cam(model: nn.Module, layer: nn.Module, x: torch.Tensor, class_idx: int | torch.Tensor) -> torch.Tensor:
    """Grad-CAM maps (N, h, w)."""
    captured = []
    handle = layer.register_forward_hook(lambda m, a, out: captured.append(out))
    try:
        with torch.enable_grad():
            logits = model(x)
            A = captured[-1]
            score = logits[:, class_idx].sum()
            (grads,) = torch.autograd.grad(score, A)
    finally:
        handle.remove()
    alpha = grads.mean(dim=(2, 3), keepdim=True)
    return F.relu((alpha * A).sum(dim=1)).detach()
