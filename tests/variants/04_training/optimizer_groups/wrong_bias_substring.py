"""Known-wrong: treats any name containing 'bias' (e.g. a submodule called bias_proj) as a bias, and only norm names containing 'norm'/'bn'."""

from __future__ import annotations

import torch
from torch import nn


def adamw_with_decay_groups(model: nn.Module, lr: float, weight_decay: float) -> torch.optim.Optimizer:
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        lname = name.lower()
        if "bias" in lname or "norm" in lname or "bn" in lname:
            no_decay.append(p)
        else:
            decay.append(p)
    return torch.optim.AdamW(
        [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}], lr=lr
    )
