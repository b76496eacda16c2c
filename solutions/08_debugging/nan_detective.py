"""Find the first module whose output turns NaN or infinite.

Scenario (004 NaN scenario, 000 Q8). The loss went NaN in epoch 3. The input batch is clean, so something inside
the model produced it, and by the time it reaches the loss every layer downstream is NaN too: printing the final
output tells you nothing. What you need is the *first* module whose output stopped being finite. Forward hooks
on every module see each output as it is produced; note that ``log(0)`` gives ``-inf``, not NaN, and the NaN
only appears a layer later (``-inf + inf``), so a check for NaN alone blames the wrong layer.

Task: write ``first_nonfinite_module(model, x)``. It runs ``model(x)`` once and returns the qualified name (as in
``model.named_modules()``; the model itself is ``""``) of the first module, in the order the modules *finish*
their forward, whose output contains a NaN or an infinity, or ``None`` when every output is finite.
- An output that is a tuple, a list or a dict counts as non-finite when any tensor in it is, at any depth (an
  LSTM returns ``(output, (h, c))``; a dict's values count, its keys do not); other objects in it are ignored.
- The forward pass runs to its end, as ``model(x)`` would: finding a culprit does not cut it short, and an
  exception raised after the culprit still propagates. Autograd may be on or off during it.
- If ``x`` itself is not finite, raise ``ValueError`` before running anything: the data is broken, not the model.
  No module runs then, and no hook is left behind.
- Afterwards no hook is left on any module, also when the forward pass raises (the exception propagates as is).
"""

from __future__ import annotations

import torch
from torch import nn


def _is_nonfinite(value: object) -> bool:
    if isinstance(value, torch.Tensor):
        return value.is_floating_point() and not bool(torch.isfinite(value).all())
    if isinstance(value, dict):
        value = tuple(value.values())
    if isinstance(value, (tuple, list)):
        return any(_is_nonfinite(item) for item in value)
    return False


def first_nonfinite_module(model: nn.Module, x: torch.Tensor) -> str | None:
    """The name of the first module (in finishing order) whose output has a NaN or an Inf, else None."""
    if not bool(torch.isfinite(x).all()):
        raise ValueError("the input already contains NaN or Inf: check the data pipeline, not the model")
    culprits: list[str] = []

    def watcher(name: str):
        def hook(module: nn.Module, args: tuple, output: object) -> None:
            if not culprits and _is_nonfinite(output):
                culprits.append(name)
        return hook

    handles = [module.register_forward_hook(watcher(name)) for name, module in model.named_modules()]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for handle in handles:
            handle.remove()
    return culprits[0] if culprits else None
