"""Write the training loop: one epoch over a loader, and an honest number for its loss.

Scenario (003 Q80, 004). Every project in the team starts from the same five lines: zero the gradients, forward,
loss, backward, step. Copies of it have drifted: one forgets to zero (gradients pile up batch after batch), one
reports the mean of per-batch losses (the short last batch counts as much as a full one), and one keeps the loss
tensors alive (memory grows every step). Write the version everyone can copy.

Task: ``train_one_epoch(model, loader, loss_fn, opt)``
- puts the model in training mode (the caller may hand it over in eval mode, straight from validation),
- for every ``(inputs, labels)`` batch: start from clean gradients, forward, loss, backward, optimizer step,
- returns the epoch's loss as a Python ``float``: the mean over *samples*, so a batch of 2 weighs half as much
  as a batch of 4 (a batch's size is ``len(inputs)``). ``loss_fn`` returns the mean loss of its batch (like
  ``nn.CrossEntropyLoss()``).
``loader`` is any iterable of ``(inputs, labels)`` batches, at least one: a DataLoader or a plain list. Keep no
autograd graph beyond the batch it belongs to.
"""

from __future__ import annotations

from typing import Callable, Iterable

import torch
from torch import nn


def train_one_epoch(
    model: nn.Module,
    loader: Iterable[tuple[torch.Tensor, torch.Tensor]],
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    opt: torch.optim.Optimizer,
) -> float:
    """Train ``model`` for one pass over ``loader``; return the sample-weighted mean training loss."""
    raise NotImplementedError("04_training/train_loop: write the zero_grad / forward / backward / step loop")
