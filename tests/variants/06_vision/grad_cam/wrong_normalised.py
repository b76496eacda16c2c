"""Known-wrong: divides each map by its max (the usual visualisation step) though the contract says not normalised."""
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
            idx = torch.as_tensor(class_idx, device=logits.device).expand(logits.shape[0])
            score = logits.gather(1, idx[:, None]).sum()
            (grads,) = torch.autograd.grad(score, A)
    finally:
        handle.remove()
    alpha = grads.mean(dim=(2, 3), keepdim=True)
    cam = F.relu((alpha * A).sum(dim=1)).detach()
    return cam / cam.amax(dim=(1, 2), keepdim=True).clamp_min(1e-12)
