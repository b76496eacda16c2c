"""Save and load model weights the recommended way: a state_dict, loaded safely, with errors that say what is wrong.

Scenario (000 Q1, 002 Q3, 003 Q91-Q92). The smart-home team ships the intruder detector to its inference
servers as a state_dict, not a pickled model: the file holds only tensors, and the code that builds the model
stays in the repository. Two things keep going wrong. Files written during multi-GPU training carry a
``module.`` prefix on every key (``nn.DataParallel`` and DDP wrap the model in ``.module``), so they refuse to
load into the plain model; and ``torch.load`` unpickles arbitrary objects unless told not to, so a file from
an untrusted source can run code on the server.

Task: write
- ``save_weights(model, path)``: write the model's state_dict with ``torch.save``. A model wrapped in
  ``nn.DataParallel`` or ``DistributedDataParallel`` is saved without the wrapper (no ``module.`` prefix), so
  the file loads into the plain model.
- ``load_weights(model, path, device="cpu")``: load the file with ``weights_only=True`` onto ``device`` (an
  arbitrary pickled object is refused: let torch's ``pickle.UnpicklingError`` propagate). When every key of
  the file starts with ``module.`` (a wrapper's file), remove that leading ``module.`` from each key (only as a
  prefix: ``module.encoder.submodule.weight`` becomes ``encoder.submodule.weight``); a file where only some keys
  start with it is a plain model's (one with a submodule named ``module``) and keeps its keys. Then load the
  weights into ``model`` strictly. When the keys do not fit, raise ``StateDictMismatchError`` with the missing
  keys (the model has them, the file does not) and the unexpected keys (the file has them, the model does not).
  Return ``model``, with its parameters and buffers on ``device``.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

WRAPPER_PREFIX = "module."


class StateDictMismatchError(RuntimeError):
    """The file's keys do not match the model's: names both lists, sorted. (Given: use it as it is.)"""

    def __init__(self, missing: list[str], unexpected: list[str]) -> None:
        self.missing = sorted(missing)
        self.unexpected = sorted(unexpected)
        super().__init__(f"the weights file does not fit the model: missing keys {self.missing}, "
                         f"unexpected keys {self.unexpected}")


def _unwrap(model: nn.Module) -> nn.Module:
    if isinstance(model, (nn.DataParallel, nn.parallel.DistributedDataParallel)):
        return model.module
    return model


def save_weights(model: nn.Module, path: str | Path) -> None:
    """Write ``model``'s state_dict (without a DataParallel/DDP wrapper's prefix) to ``path``."""
    torch.save(_unwrap(model).state_dict(), path)


def load_weights(model: nn.Module, path: str | Path, device: str | torch.device = "cpu") -> nn.Module:
    """Load the weights at ``path`` into ``model`` on ``device``, safely and strictly; return ``model``."""
    state = torch.load(path, map_location=device, weights_only=True)
    if state and all(key.startswith(WRAPPER_PREFIX) for key in state):
        state = {key.removeprefix(WRAPPER_PREFIX): value for key, value in state.items()}
    expected = set(model.state_dict())
    missing, unexpected = expected - set(state), set(state) - expected
    if missing or unexpected:
        raise StateDictMismatchError(list(missing), list(unexpected))
    model.to(device)
    model.load_state_dict(state)
    return model
