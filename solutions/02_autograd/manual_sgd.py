"""SGD by hand, and the lab's PyTorch 0.3 code brought up to date.

Scenario (002 Q4, 001 Q7). The lab is migrating years of PyTorch 0.3 code. Back then every tensor that needed
gradients was wrapped in ``Variable``, inference used ``Variable(x, volatile=True)``, and optimisers were often
written by hand through ``.data``. That code still *runs* today, which is the problem: ``volatile`` is silently
ignored (a warning, then a full autograd graph), and hand-written updates are easy to get subtly wrong.

Task:
- ``sgd_step_(params, lr)``: the update ``p <- p - lr * p.grad`` for every parameter that has a gradient
  (skip those whose ``.grad`` is None), done **in place** so the model keeps holding the very same leaf
  parameters (same objects, still ``requires_grad=True``, no ``grad_fn``), with autograd switched off for the
  update (``torch.no_grad()`` or another grad-mode switch), not by going through ``.data``, which hides the change
  from autograd: a graph that saved a parameter before the step must raise on ``backward()`` afterwards, not
  silently use the new values.
  Then clear the gradients (set ``.grad`` to None or zero it) so the next backward starts afresh.
  ``params`` may be a one-shot generator such as ``model.parameters()``. Its legacy form was::

      for p in model.parameters():
          p.data.add_(-lr, p.grad.data)

- ``legacy_to_modern(model, images)``: today's version of this 0.3 scoring function::

      def score(model, images):
          x = Variable(images, volatile=True)
          probs = F.softmax(model(x), dim=1)
          return probs.data

  It returns the class probabilities with no autograd graph recorded while the model runs (``torch.no_grad()``
  or ``torch.inference_mode()``; an inference tensor as the result is fine), and leaves the caller's grad mode
  as it found it. Like the 0.3 code, it runs the model in the train/eval mode the caller left it in and does
  not change that mode (no ``model.eval()``).
"""

from __future__ import annotations

from typing import Iterable

import torch
from torch import nn


def sgd_step_(params: Iterable[nn.Parameter], lr: float) -> None:
    """Plain SGD, in place, then clear the gradients."""
    with torch.no_grad():  # the update itself must not become part of any graph
        for param in params:  # a single pass: params may be a generator
            if param.grad is None:
                continue
            param.add_(param.grad, alpha=-lr)
            param.grad = None


def legacy_to_modern(model: nn.Module, images: torch.Tensor) -> torch.Tensor:
    """Class probabilities for ``images``, computed without recording an autograd graph."""
    with torch.no_grad():  # what volatile=True used to mean
        return torch.softmax(model(images), dim=1)
