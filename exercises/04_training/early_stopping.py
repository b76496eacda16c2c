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

from torch import nn


class EarlyStopping:
    def __init__(self, patience: int, min_delta: float = 0.0, restore_best: bool = True) -> None:
        raise NotImplementedError("04_training/early_stopping: keep the settings, the best loss and a counter")

    def __call__(self, val_loss: float, model: nn.Module) -> bool:
        """Record this epoch's validation loss; return True when training should stop."""
        raise NotImplementedError("04_training/early_stopping: compare with the best loss, snapshot, count, decide")

    def load_best(self, model: nn.Module) -> None:
        """Load the best snapshot into ``model``."""
        raise NotImplementedError("04_training/early_stopping: load the saved copy of the best state")
