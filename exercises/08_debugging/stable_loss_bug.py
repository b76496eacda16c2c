"""Fix the bug: the click-through model whose loss turns into inf, then NaN, once it gets confident.

Scenario (004 NaN scenario). A click-through-rate model trains well for a few epochs, then the loss prints
``inf``, the next step ``nan``, and from there on every weight is NaN. Lowering the learning rate only delays
it; gradient clipping does not help. The input data is clean. Logging the logits right before the first bad
step shows values in the hundreds: the model has become very sure of some examples, which is fine for a
model and should be fine for its loss. All of it traces back to the two functions below.

Task: fix ``log_sigmoid`` and ``binary_cross_entropy`` so that
- ``log_sigmoid(x)`` returns log(sigmoid(x)) elementwise, with the input's shape, dtype and device, finite for
  every finite ``x`` (try +-200 in float32) and with finite, correct gradients there;
- ``binary_cross_entropy(logits, targets)`` returns the mean binary cross-entropy of probabilities
  sigmoid(logits) against ``targets`` in [0, 1] (soft labels allowed), for ``logits`` and ``targets`` of one
  shape, any shape (a (batch, labels) multi-label batch too): the mean over all elements, as a 0-d tensor of
  the logits' dtype on their device; finite with finite gradients at any finite logits, and still correct at
  large ones: a confident wrong answer must cost a lot (at logit 200 with target 0 the loss is 200), not a
  capped amount with no gradient;
- both give the values they gave before wherever the old code was fine.
"""

from __future__ import annotations

import torch


def log_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """log(sigmoid(x)), elementwise."""
    return torch.log(torch.sigmoid(x))


def binary_cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy of sigmoid(logits) against targets in [0, 1]."""
    log_p = log_sigmoid(logits)
    log_not_p = torch.log(1 - torch.sigmoid(logits))
    return -(targets * log_p + (1 - targets) * log_not_p).mean()
