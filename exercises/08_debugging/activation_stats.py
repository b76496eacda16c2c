"""Record what every layer of a network outputs: its shape, mean and standard deviation.

Scenario (000 Q8-Q9). A colleague's image model trains to chance level and nobody knows which layer goes wrong.
Printing shapes inside ``forward`` means editing the model; a forward hook sees each layer's output without
touching its code. But a hook that stays registered fires (and keeps tensors alive) on every later forward pass,
so a debugging tool must remove every hook it added, also when the forward pass raises.

Task: write ``record_activation_stats(model, x)``. It runs ``model(x)`` once, in whatever mode the model is in
(it switches no module to eval or train: a BatchNorm in train mode normalises with the batch's statistics, as
``model(x)`` would; autograd may be on or off), and returns a dict that maps the qualified name of every leaf
module (a module with no children, named as in ``model.named_modules()``, e.g. ``"features.0"``; a module
registered under two names appears once, under the name ``named_modules()`` gives it; a model without children
is itself the leaf ``""``) to ``ActivationStats(shape, mean, std)`` of that module's output:
- ``shape`` is a tuple of ints, ``mean`` and ``std`` are Python floats; ``std`` as ``Tensor.std()`` computes it
  (Bessel-corrected);
- the statistics describe the output as the module returned it: an in-place operation later in the forward
  (``nn.ReLU(inplace=True)`` right after a ``Linear``) must not change the ``Linear``'s entry;
- the dict lists the modules in the order they first ran;
- a module that runs more than once (torchvision's ``BasicBlock`` calls ``self.relu`` twice) reports its last call;
- a module whose output is not a tensor (an LSTM returns a tuple) is left out;
- afterwards no hook is left on any module, also when the forward pass raises (the exception propagates as is).
"""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn


class ActivationStats(NamedTuple):
    shape: tuple[int, ...]
    mean: float
    std: float


def record_activation_stats(model: nn.Module, x: torch.Tensor) -> dict[str, ActivationStats]:
    """Run ``model(x)`` once and return the output statistics of every leaf module, in the order they ran."""
    raise NotImplementedError("08_debugging/activation_stats: hook every leaf module, run the model once, "
                              "remove the hooks in a `finally:`")
