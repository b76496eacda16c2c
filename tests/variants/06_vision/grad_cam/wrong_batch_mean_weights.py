"""Known-wrong: averages the gradient over the batch too, mixing the images."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def grad_cam(model: nn.Module, layer: nn.Module, x: torch.Tensor, class_idx: int | torch.Tensor) -> torch.Tensor:
    """Grad-CAM maps ``(N, h, w)`` of ``class_idx`` at the resolution of ``layer``'s output."""
    captured: list[torch.Tensor] = []
    handle = layer.register_forward_hook(lambda module, inputs, output: captured.append(output))
    # enable_grad: a caller inside torch.no_grad() still gets a graph to differentiate
    with torch.enable_grad():
        try:
            logits = model(x)
        finally:
            handle.remove()
        activations = captured[-1]
        index = torch.as_tensor(class_idx, dtype=torch.long, device=logits.device).expand(logits.shape[0])
        # images are independent, so the gradient of the summed scores w.r.t. A[n] is that of score[n] alone
        score = logits.gather(1, index[:, None]).sum()
        # autograd.grad computes only what we ask for: nothing accumulates into the parameters' .grad
        (gradients,) = torch.autograd.grad(score, activations)
    alpha = gradients.mean(dim=(0, 2, 3), keepdim=True)
    return F.relu((alpha * activations).sum(dim=1)).detach()
