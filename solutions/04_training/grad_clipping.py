"""Clip gradients: measure the global gradient norm by hand, then take a clipped optimizer step.

Scenario (000 Q5, 003 Q78). An LSTM language model trains fine for hours, then one batch produces a gradient a
thousand times larger than usual and the loss jumps to NaN. Clipping the *total* gradient norm rescales such a
step to a safe length without changing its direction, and logging the norm before clipping shows how often it
fires. With mixed precision the gradients carry the GradScaler's factor until they are unscaled, so the order of
the calls matters.

Task:
- ``global_grad_norm(params)``: the L2 norm of all gradients together, as if every ``p.grad`` were flattened and
  concatenated into one vector, computed by hand (no ``clip_grad_norm_`` here). Skip parameters whose ``.grad``
  is ``None``. Return a 0-dim tensor of the gradients' floating dtype, on their device (they share one of each);
  ``torch.tensor(0.0)`` if no gradient exists.
  ``params`` may be a generator such as ``model.parameters()``.
- ``clipped_step(model, opt, loss, max_norm, scaler=None)``: the caller has zeroed the gradients and computed
  ``loss``. Backpropagate, clip the total gradient norm of ``model.parameters()`` to at most ``max_norm``
  (rescaling every gradient by the same factor; gradients already within ``max_norm`` stay as they are), then
  step. Return the total norm *before* clipping, as a 0-dim tensor. With a ``torch.amp.GradScaler``: scale the
  loss for backward, and make sure clipping and the returned norm see the true (unscaled) gradients; the
  scaler then steps and updates (skipping the step when a gradient overflowed).
"""

from __future__ import annotations

from typing import Iterable

import torch
from torch import nn


def global_grad_norm(params: Iterable[torch.Tensor]) -> torch.Tensor:
    """L2 norm of the concatenation of every existing ``p.grad``; ``tensor(0.)`` when there is none."""
    grads = [p.grad.detach() for p in params if p.grad is not None]
    if not grads:
        return torch.tensor(0.0)
    # ||concat(g_1, ..., g_k)||_2 = sqrt(sum_i ||g_i||^2), without building the concatenation
    squares = torch.stack([g.pow(2).sum() for g in grads])
    return squares.sum().sqrt()


def clipped_step(
    model: nn.Module,
    opt: torch.optim.Optimizer,
    loss: torch.Tensor,
    max_norm: float,
    scaler: torch.amp.GradScaler | None = None,
) -> torch.Tensor:
    """Backward, clip the total gradient norm to ``max_norm``, step; return the norm before clipping."""
    params = [p for p in model.parameters() if p.requires_grad]
    if scaler is None:
        loss.backward()
    else:
        scaler.scale(loss).backward()
        # the gradients hold loss_scale * true gradient until unscaled; max_norm is meant for the true ones
        scaler.unscale_(opt)

    total_norm = global_grad_norm(params)
    # one factor for every gradient keeps the step's direction; the epsilon guards a zero norm
    factor = torch.clamp(max_norm / (total_norm + 1e-6), max=1.0)
    with torch.no_grad():
        for p in params:
            if p.grad is not None:
                p.grad.mul_(factor.to(p.grad.device))

    if scaler is None:
        opt.step()
    else:
        scaler.step(opt)  # skips the step if unscale_ found an inf or NaN
        scaler.update()
    return total_norm
