"""Find the layers whose gradients vanish: per-parameter gradient norms, grouped into layers.

Scenario (002 Q1). A pedestrian detector's loss is stuck and its weights barely move. The learning rate and the
data have been checked; the suspicion is the gradient computation. Is a layer cut off from the loss (a stray
``.detach()``, a branch that never reaches the output) or do the gradients shrink on their way back through a
deep stack of sigmoids? The quick check: measure each layer's gradient norm.

Task: write
- ``gradient_norms(model, loss)``: the L2 norm of d(loss)/d(parameter) for every parameter that requires grad,
  keyed by its name from ``model.named_parameters()``, in that order, as Python floats. Frozen parameters
  (``requires_grad=False``) are left out. A parameter the loss does not depend on (the graph is cut, or its
  module never ran) reports ``0.0``: it is exactly what you are looking for, so it must not go missing.
  That holds also for a loss that depends on no parameter at all (``loss.requires_grad`` is False: every
  trainable parameter reports ``0.0``); a model without trainable parameters gives ``{}``.
  A debugging probe must not change training state: every parameter's ``.grad`` is left exactly as it was, the
  same tensor object with the same values (or ``None`` if it was ``None``), and no other tensor's ``.grad`` (an
  input's that requires grad) is written either; stale gradients from an earlier backward must not leak into
  the norms. The loss's graph stays usable: the caller can still run ``loss.backward()`` afterwards.
- ``vanishing_layers(norms, threshold)``: group those norms into layers (a layer is the module that owns the
  parameter: its name without the last dotted part, ``"features.0.weight"`` -> ``"features.0"``; a parameter
  of the model itself belongs to ``""``). A layer's norm is the L2 norm of all its parameters' gradients
  together (the square root of the sum of squared norms). Return the layers whose norm is strictly below
  ``threshold``, in the order they first appear in ``norms`` (not sorted: with ten or more layers, ``"10"``
  comes after ``"9"`` when it appears after it). ``norms`` itself is left unchanged.
"""

from __future__ import annotations

import math

import torch
from torch import nn


def gradient_norms(model: nn.Module, loss: torch.Tensor) -> dict[str, float]:
    """The gradient L2 norm of every trainable parameter of ``model``, by name; 0.0 where no gradient reaches."""
    named = [(name, param) for name, param in model.named_parameters() if param.requires_grad]
    if not loss.requires_grad:  # no graph at all (autograd.grad would raise): nothing reaches any parameter
        return {name: 0.0 for name, _ in named}
    # torch.autograd.grad hands the gradients back instead of accumulating them into .grad (nor into an
    # input's); retain_graph keeps the graph for the training step's own backward
    grads = torch.autograd.grad(loss, [param for _, param in named], allow_unused=True,
                                retain_graph=True) if named else ()
    return {name: 0.0 if grad is None else grad.norm().item() for (name, _), grad in zip(named, grads)}


def vanishing_layers(norms: dict[str, float], threshold: float) -> list[str]:
    """Layers (owning modules) whose combined gradient norm is below ``threshold``, in order of appearance."""
    squared: dict[str, float] = {}
    for name, norm in norms.items():
        layer = name.rpartition(".")[0]
        squared[layer] = squared.get(layer, 0.0) + norm * norm
    return [layer for layer, total in squared.items() if math.sqrt(total) < threshold]
