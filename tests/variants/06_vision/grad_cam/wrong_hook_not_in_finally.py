"""Known-wrong: the hook is removed after the forward, not in finally: a raising forward leaves it registered."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def grad_cam(model: nn.Module, layer: nn.Module, x: torch.Tensor, class_idx: int | torch.Tensor) -> torch.Tensor:
    """Grad-CAM maps (N, h, w)."""
    captured = []
    handle = layer.register_forward_hook(lambda m, a, out: captured.append(out))
    if True:
        with torch.enable_grad():
            logits = model(x)
            A = captured[-1]
            idx = torch.as_tensor(class_idx, device=logits.device).expand(logits.shape[0])
            score = logits.gather(1, idx[:, None]).sum()
            (grads,) = torch.autograd.grad(score, A)
        handle.remove()
    alpha = grads.mean(dim=(2, 3), keepdim=True)
    return F.relu((alpha * A).sum(dim=1)).detach()
