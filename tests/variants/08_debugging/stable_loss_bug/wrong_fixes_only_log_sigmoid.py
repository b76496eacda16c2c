"""Known-wrong: fixes log_sigmoid but keeps log(1 - sigmoid(x)) in the loss, which is -inf at large positive x."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def log_sigmoid(x: torch.Tensor) -> torch.Tensor:
    return F.logsigmoid(x)


def binary_cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    log_not_p = torch.log(1 - torch.sigmoid(logits))
    return -(targets * log_sigmoid(logits) + (1 - targets) * log_not_p).mean()
