"""Write a linear layer that the optimizer, ``.to()`` and checkpoints can all see.

Scenario (000 Q6, 002 Q11). A colleague's hand-written layer never learns: its weights were stored as plain
tensors, so ``model.parameters()`` does not list them, the optimizer never updates them, ``model.to()`` leaves
them behind and ``state_dict()`` forgets them. You are writing the replacement: a drop-in for ``nn.Linear``
whose checkpoints load both ways.

Task: implement ``CustomLinear(in_features, out_features, bias=True)`` computing ``x @ weight.T + bias`` for
inputs of shape ``(..., in_features)``:
- ``self.weight`` of shape ``(out_features, in_features)`` and ``self.bias`` of shape ``(out_features,)``,
  both ``nn.Parameter``s, so ``state_dict()`` has exactly the keys and shapes of ``nn.Linear``;
- with ``bias=False``, ``self.bias`` is ``None`` and is no parameter at all, registered the way ``nn.Linear``
  does it: ``self.register_parameter("bias", None)``;
- ``reset_parameters()`` initialises like ``nn.Linear``: weight and bias drawn uniformly from
  ``(-1/sqrt(in_features), 1/sqrt(in_features))``; ``__init__`` calls it; with ``in_features == 0`` the
  bound is 0, as in ``nn.Linear`` (the bias comes out all zeros, no ZeroDivisionError);
- ``self.in_features`` and ``self.out_features`` hold the sizes.
Build it from tensor operations, not from ``nn.Linear`` or ``F.linear`` (the tests compare against those).
"""

from __future__ import annotations

import math

import torch
from torch import nn


class CustomLinear(nn.Module):
    def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
        super().__init__()
        # The tests rely on these attribute names: self.in_features, self.out_features,
        # self.weight (out_features, in_features), self.bias (out_features,) or None.
        raise NotImplementedError("03_modules/custom_linear: register weight and bias, then call reset_parameters()")

    def reset_parameters(self) -> None:
        raise NotImplementedError("03_modules/custom_linear: draw weight and bias from U(-1/sqrt(in), 1/sqrt(in))")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("03_modules/custom_linear: return x @ weight.T + bias (no bias when it is None)")
