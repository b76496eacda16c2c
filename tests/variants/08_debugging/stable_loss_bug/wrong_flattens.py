"""Known-wrong variant: log_sigmoid returns a flattened tensor (F.logsigmoid(x.reshape(-1))): right on 1-D inputs, wrong shape on a (2, 3, 4) one; the loss still works."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def log_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """log(sigmoid(x)), elementwise."""
    # sigmoid(-200) underflows to 0 in float32 and log(0) is -inf; logsigmoid computes
    # min(x, 0) - log1p(exp(-|x|)) directly, so nothing underflows and the gradient stays finite
    return F.logsigmoid(x.reshape(-1))


def binary_cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy of sigmoid(logits) against targets in [0, 1]."""
    # 1 - sigmoid(x) == sigmoid(-x), so log(1 - p) is log_sigmoid(-x): no rounding of 1 - 1 to 0 at large x
    logits, targets = logits.reshape(-1), targets.reshape(-1)
    return -(targets * log_sigmoid(logits) + (1 - targets) * log_sigmoid(-logits)).mean()
