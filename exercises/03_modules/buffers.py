"""Keep running statistics in buffers: state that moves and saves with the model but is never trained.

Scenario (002 Q11, quick check). A sensor model normalises its inputs with the mean and variance of all the
data it has seen. The first version kept those statistics as plain tensor attributes: ``model.to("cuda")``
left them on the CPU, and ``state_dict()`` did not save them, so every restored model normalised with zeros
and ones. Making them ``nn.Parameter``s was worse: the optimizer started "training" them.

Task: implement ``RunningMeanStd(num_features, eps=1e-5)`` for inputs of shape ``(N, num_features)``.
- Buffers (``register_buffer``), with these names:
  ``mean`` (float32, zeros), ``var`` (float32, ones) and ``count`` (int64 scalar, 0) are persistent;
  ``std``, a cache of ``sqrt(var + eps)``, is non-persistent (``persistent=False``): it moves with
  ``.to()`` but is not saved, since it can be recomputed from ``var``.
- ``update(x)`` folds a batch into the statistics of *all* samples seen so far (``var`` is the population
  variance, as ``x.var(dim=0, unbiased=False)`` over everything seen, and accurate in float32 even for data
  far from zero), then refreshes ``std``. It records no autograd history, and an empty batch changes nothing.
- ``forward(x)``: in training mode first ``update(x)``; in eval mode the statistics stay frozen. Then return
  ``(x - mean) / sqrt(var + eps)``, treating the statistics as constants. A module restored with
  ``load_state_dict`` must normalise exactly as the original did: the cache is not in the state dict, so
  bring ``std`` up to date before using it (refreshing it in ``forward`` or when the state dict is loaded are
  both fine: the statistics change only through ``update``, ``forward`` and ``load_state_dict``).
The module has no parameters at all.
"""

from __future__ import annotations

import torch
from torch import nn


class RunningMeanStd(nn.Module):
    def __init__(self, num_features: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        # The tests read these buffers by name: self.mean, self.var, self.count and the cache self.std.
        raise NotImplementedError("03_modules/buffers: register mean, var, count (persistent) and std (not persistent)")

    def update(self, x: torch.Tensor) -> None:
        raise NotImplementedError("03_modules/buffers: merge the batch into count, mean and var, then refresh std")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("03_modules/buffers: update in training mode only, then return (x - mean) / std")
