"""Known-correct alternative: explicit first-call flag, copy.deepcopy of the state_dict, in-place copy_ on load."""

from __future__ import annotations

import copy

import torch
from torch import nn


class EarlyStopping:
    def __init__(self, patience: int, min_delta: float = 0.0, restore_best: bool = True) -> None:
        self.patience = patience
        self.min_delta = min_delta
        self.restore_best = restore_best
        self.best_loss: float | None = None
        self._bad_epochs = 0
        self._snapshot: dict[str, torch.Tensor] = {}

    def _improves(self, val_loss: float) -> bool:
        return self.best_loss is None or val_loss < self.best_loss - self.min_delta

    def __call__(self, val_loss: float, model: nn.Module) -> bool:
        if self._improves(val_loss):
            self.best_loss = val_loss
            self._snapshot = copy.deepcopy(model.state_dict())
            self._bad_epochs = 0
            return False
        self._bad_epochs += 1
        stop = self._bad_epochs >= self.patience
        if stop and self.restore_best:
            self.load_best(model)
        return stop

    @torch.no_grad()
    def load_best(self, model: nn.Module) -> None:
        live = model.state_dict()
        for name, saved in self._snapshot.items():
            live[name].copy_(saved)
