"""A torchinfo-style model summary: every module with its output shape and parameter counts.

Scenario (000 Q8). The seed's debugging answer is ``torchinfo.summary(model, input_size=(32, 10))``: one row per
layer with its output shape and parameter count, and the totals underneath. torchinfo is not installed here,
and writing its core yourself shows what it does: run one forward pass with a hook on every module, read the
shapes, count the parameters so that nothing is counted twice, and leave the model exactly as it was.

Task: write ``summarize(model, input_shape)``. It runs ``model`` once on a float32 tensor of ``input_shape`` (its
values do not matter: zeros will do) on the model's device (that of its first parameter, else of its first
buffer, else the CPU), and returns one ``SummaryRow(name, type, output_shape, params, trainable)`` per module of
``model.named_modules()``, in that order (the model itself first, named ``""``):
- ``type``: the class name (``"Conv2d"``);
- ``output_shape``: the shape of the module's output as a tuple of ints (a ``torch.Size`` is one), from its
  last call; ``None`` when the module did not run or its output is not a tensor (an LSTM returns a tuple);
- ``params``: the number of parameter elements the module owns directly (its children's are in their own
  rows), so the rows add up to ``sum(p.numel() for p in model.parameters())``; a parameter shared by two
  modules (weight tying) counts once, in the first row that owns it;
- ``trainable``: how many of those ``params`` have ``requires_grad=True``.
A summary must not change the model: run the forward pass in eval mode (BatchNorm running statistics stay
untouched) without building a graph (autograd off inside the forward: ``torch.no_grad()`` or
``torch.inference_mode()``), then give every module back its own training flag (a model in train mode with
frozen BatchNorm layers in eval stays that way) and remove every hook; both happen also when the forward
raises (the exception propagates as is).
"""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn


class SummaryRow(NamedTuple):
    name: str
    type: str
    output_shape: tuple[int, ...] | None
    params: int
    trainable: int


def summarize(model: nn.Module, input_shape: tuple[int, ...]) -> list[SummaryRow]:
    """One row per module of ``model`` (in ``named_modules()`` order) after one forward pass in eval mode."""
    raise NotImplementedError("08_debugging/model_summary: hook every module, run one eval-mode forward, "
                              "then build a row per module without counting a parameter twice")
