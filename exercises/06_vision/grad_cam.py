"""Grad-CAM: where in the image did the class evidence come from?

Scenario (beyond the seeds; builds on the hooks of 002 Q8 and 000 Q9). The pedestrian detector flags a frame
and the safety reviewer asks where in the image the "pedestrian" evidence came from. Grad-CAM answers with a
heat map over a convolutional layer: each channel of that layer's output ``A`` is weighted by how much the class
score grows with it (the spatial mean of the gradient), the weighted channels are summed, and only positive
evidence is kept. The tool must be a guest: no hooks left behind, and no gradients dumped into the parameters'
``.grad`` where the next optimizer step would pick them up.

Task: ``grad_cam(model, layer, x, class_idx)`` for a model mapping ``x`` of shape ``(N, C, H, W)`` to logits
``(N, num_classes)``; ``layer`` is a submodule whose output ``A`` has shape ``(N, K, h, w)``; ``class_idx`` is
one class for the whole batch (an ``int``) or one per image (a ``(N,)`` integer tensor). Return, detached,

    cam[n] = relu( sum_k  alpha[n, k] * A[n, k] ),   alpha[n, k] = mean over (i, j) of d score[n] / d A[n, k, i, j]

with ``score[n] = logits[n, class_idx[n]]`` (the raw logit, before any softmax), shape ``(N, h, w)``, at the
layer's resolution, not normalised. Each image's map depends on that image only (the contract covers models
whose images do not interact within a batch: no BatchNorm in train mode). Use the model in the mode the caller
put it in; work even when called under ``torch.no_grad()``. Afterwards no hook of yours is registered
(also when the forward pass raises), and every parameter's ``.grad`` is exactly what it was before.

Run ``python grader.py show 06_vision/grad_cam cam.png`` to see your heat map beside its input and overlaid on
it, for an untrained ResNet-18 and a synthetic image.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def grad_cam(model: nn.Module, layer: nn.Module, x: torch.Tensor, class_idx: int | torch.Tensor) -> torch.Tensor:
    """Grad-CAM maps ``(N, h, w)`` of ``class_idx`` at the resolution of ``layer``'s output."""
    # TODO: capture layer's output with a forward hook, take the gradient of the class scores with respect to it,
    # weight the channels, sum, relu. Which autograd call computes a gradient without touching any .grad?
    raise NotImplementedError("06_vision/grad_cam: compute the Grad-CAM heat map of class_idx at layer")
