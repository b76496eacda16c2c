"""Known-wrong: restores the best weights on stop even when restore_best=False."""

from __future__ import annotations

from torch import nn


class EarlyStopping:
    def __init__(self, patience: int, min_delta: float = 0.0, restore_best: bool = True) -> None:
        self.patience = patience
        self.min_delta = min_delta
        self.restore_best = restore_best
        self.best_loss = float("inf")
        self.count = 0
        self.best_state = None

    def __call__(self, val_loss: float, model: nn.Module) -> bool:
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss = val_loss
            self.best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            self.count = 0
            return False
        self.count += 1
        if self.count >= self.patience:
            self.load_best(model)
            return True
        return False

    def load_best(self, model: nn.Module) -> None:
        model.load_state_dict(self.best_state)
