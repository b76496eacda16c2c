"""Gradient accumulation: one optimizer step from several micro-batches.

Scenario (004: no_grad and gradient accumulation). The detector trains well with batches of 64, but only 16
samples fit in GPU memory at once. The fix is to split each batch into micro-batches, run forward and backward
on one micro-batch at a time (so only its activations are ever held), let the gradients add up in ``.grad``,
and step the optimizer once. Done right, the step is the same as one step on the whole batch.

Task: write ``accumulated_step(model, optimizer, batches, loss_fn)``.
- ``batches`` is a list of ``(inputs, targets)`` micro-batches that together form one batch; they may have
  different sizes (the last one is often shorter). ``loss_fn(outputs, targets)`` returns the mean loss over
  its micro-batch, like ``nn.CrossEntropyLoss()``.
- Afterwards the parameters must be what one ``optimizer.step()`` on the concatenated batch would give,
  whatever the optimizer, whatever gradients were lying in ``.grad`` before the call.
- Each micro-batch's backward runs before the next micro-batch's forward: that is what saves the memory.
  How the gradients add up is yours to choose (``.backward()`` into ``.grad``, or ``torch.autograd.grad`` summed
  by hand), and so is what ``.grad`` holds after the step.
- Return the loss of the whole batch (its sample-weighted mean over the micro-batches, from the same forward
  passes that gave the gradients, so before the step) as a Python float.
"""

from __future__ import annotations

from typing import Callable, Sequence

import torch
from torch import nn


def accumulated_step(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    batches: Sequence[tuple[torch.Tensor, torch.Tensor]],
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
) -> float:
    """One optimizer step on the batch formed by ``batches``; returns that batch's mean loss."""
    raise NotImplementedError("02_autograd/grad_accumulation: take one optimizer step from the micro-batches, "
                              "equal to one step on their concatenation")
