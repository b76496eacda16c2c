"""Optimizer parameter groups: AdamW with weight decay on the weights only.

Scenario (003 Q46, Q76). A vision transformer fine-tunes worse with weight decay than without. The cause: decay
was applied to everything, so it pulls every LayerNorm gain towards 0 and every bias towards 0, which only
shrinks what the normalisation and the offsets are there to learn. And the optimizer was ``Adam(weight_decay=...)``,
which adds the decay to the gradient, where Adam's per-parameter scaling dilutes it, instead of AdamW's
decoupled decay applied straight to the weights.

Task: ``adamw_with_decay_groups(model, lr, weight_decay)`` returns an AdamW optimizer (decoupled weight decay)
with exactly two parameter groups, both at learning rate ``lr``:
- one with ``weight_decay=weight_decay``: every other trainable parameter (the weight matrices and conv kernels,
  embeddings too),
- one with ``weight_decay=0.0``: every bias, and every parameter of a normalisation layer (BatchNorm, LayerNorm,
  GroupNorm, RMSNorm, ...).
Only trainable parameters (``requires_grad``) go in, and each parameter exactly once, even when two modules share
it (tied weights). Two conventions are in use and both are accepted: telling the no-decay parameters apart by
shape (every 1-D parameter, plus any named ``bias``) or by the module that owns them. So a 1-D parameter that is
neither a bias nor a normalisation parameter (a layer scale, ``PReLU.weight``), and a normalisation parameter of
2 or more dims (a ``LayerNorm`` over a 2-D shape), may go in either group; a parameter that both conventions agree
on may not.
"""

from __future__ import annotations

import torch
from torch import nn


def adamw_with_decay_groups(model: nn.Module, lr: float, weight_decay: float) -> torch.optim.Optimizer:
    """AdamW over ``model``: decay on weights, none on biases and normalisation parameters."""
    raise NotImplementedError("04_training/optimizer_groups: split the trainable parameters, then build AdamW")
