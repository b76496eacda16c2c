"""Known-wrong: switches the model to eval() for the explanation, then restores the caller's mode."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def grad_cam(model: nn.Module, layer: nn.Module, x: torch.Tensor, class_idx: int | torch.Tensor) -> torch.Tensor:
    captured: list[torch.Tensor] = []
    handle = layer.register_forward_hook(lambda module, inputs, output: captured.append(output))
    was_training = model.training
    model.eval()
    try:
        with torch.enable_grad():
            logits = model(x)
    finally:
        handle.remove()
        model.train(was_training)
    activations = captured[-1]
    index = torch.as_tensor(class_idx, device=logits.device).expand(x.shape[0])
    score = logits[torch.arange(x.shape[0], device=logits.device), index].sum()
    (gradients,) = torch.autograd.grad(score, activations)
    alpha = gradients.mean(dim=(2, 3), keepdim=True)
    return F.relu((alpha * activations).sum(dim=1)).detach()
