"""Serve predictions with torch.inference_mode: no autograd at all, the model in eval mode, nothing left changed.

Scenario (001 Q7, 000 Q7). The prediction endpoint wraps the model in ``torch.no_grad()``, which stops autograd
from recording a graph. ``torch.inference_mode()`` goes further: tensors created inside it are inference
tensors with no version counter and no autograd metadata, which saves memory and time on every request (the
seed calls it "even faster than no_grad"). The catch: an inference tensor can never take part in autograd
later, so use it for outputs you serve, not for values you will train on. The same endpoint also has to put
the model in eval mode (Dropout off, BatchNorm on its running statistics) without surprising the training job
that shares the model object.

Task: write ``predict(model, x)``. It returns ``model(x)`` computed in eval mode inside
``torch.inference_mode()`` (the result is an inference tensor: ``out.is_inference()`` is True): every submodule
runs in eval mode. It hands the model back as the caller had it, also when the forward pass raises: each submodule
in its own mode (a BatchNorm the training job froze in eval inside a model in train mode stays in eval, and stays
the only one). Grad mode and inference mode outside the call are left as they were.
"""

from __future__ import annotations

import torch
from torch import nn


def predict(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """``model(x)`` in eval mode under ``torch.inference_mode()``; the caller's mode is restored."""
    # model.train(flag) would force one mode on every submodule: remember each one's own
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    try:
        with torch.inference_mode():
            return model(x)
    finally:
        for module, training in modes:
            module.training = training
