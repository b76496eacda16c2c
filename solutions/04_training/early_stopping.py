"""Early stopping: stop when validation stops improving, and hand back the best weights, not the last.

Scenario (000 Q3). Training loss keeps falling while validation loss turned upwards epochs ago: the model is
memorising. The team's early-stopping helper stops at the right time, yet the model it returns is always the
*last* one: it kept ``model.state_dict()`` as "the best weights", and a state_dict holds references to the live
tensors, which the optimizer went on updating in place.

Task: ``EarlyStopping(patience, min_delta=0.0, restore_best=True)``
- ``early_stopping(val_loss, model) -> bool`` is called once per epoch with that epoch's validation loss (a
  finite float; ``patience`` >= 1). An epoch *improves* when ``val_loss < best_loss - min_delta``; then
  remember it as the best (its loss and a snapshot of ``model``'s whole state: parameters and buffers) and reset
  the count. Any other epoch counts as one without improvement. Return ``True`` (stop) as soon as ``patience``
  epochs in a row brought no improvement, ``False`` otherwise. The first call always improves (the best loss
  starts at infinity).
- When it returns ``True`` and ``restore_best`` is set, the model already holds the best weights again.
- ``load_best(model)`` copies the best snapshot into ``model`` (for a loop that ran out of epochs before
  stopping). Loading must not tie the snapshot to the model: training on afterwards must not change it.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class EarlyStopping:
    def __init__(self, patience: int, min_delta: float = 0.0, restore_best: bool = True) -> None:
        self.patience = patience
        self.min_delta = min_delta
        self.restore_best = restore_best
        self.best_loss = math.inf
        self.epochs_without_improvement = 0
        self.best_state: dict[str, torch.Tensor] | None = None

    def __call__(self, val_loss: float, model: nn.Module) -> bool:
        """Record this epoch's validation loss; return True when training should stop."""
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss = val_loss
            self.epochs_without_improvement = 0
            # state_dict() returns the live tensors; clone them or the optimizer will rewrite the "best" copy
            self.best_state = {name: tensor.detach().clone() for name, tensor in model.state_dict().items()}
            return False

        self.epochs_without_improvement += 1
        should_stop = self.epochs_without_improvement >= self.patience
        if should_stop and self.restore_best:
            self.load_best(model)
        return should_stop

    def load_best(self, model: nn.Module) -> None:
        """Load the best snapshot into ``model``."""
        if self.best_state is None:
            raise RuntimeError("no epoch has been recorded yet")
        # load_state_dict copies values into the model's own tensors, so the snapshot stays independent
        model.load_state_dict(self.best_state)
