"""Known-correct alternative: collects (loss, n) pairs, zero_grad(set_to_none=True), math.fsum at the end."""

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
    import math

    model.train(True)
    pairs = []
    for batch in loader:
        inputs, labels = batch
        opt.zero_grad(set_to_none=True)
        out = model(inputs)
        loss = loss_fn(out, labels)
        loss.backward()
        opt.step()
        n = inputs.shape[0]
        pairs.append((float(loss.detach()), n))
    count = sum(n for _, n in pairs)
    return math.fsum(l * n for l, n in pairs) / count
