"""Known-wrong: recognises only BatchNorm2d and LayerNorm; BatchNorm1d, GroupNorm, RMSNorm, InstanceNorm weights get decayed."""

from __future__ import annotations

import torch
from torch import nn

_NORMS = (nn.BatchNorm2d, nn.LayerNorm)


def adamw_with_decay_groups(model: nn.Module, lr: float, weight_decay: float) -> torch.optim.Optimizer:
    no_decay_ids = set()
    for module in model.modules():
        for name, p in module.named_parameters(recurse=False):
            if isinstance(module, _NORMS) or name == "bias":
                no_decay_ids.add(id(p))
    decay, no_decay = [], []
    for _, p in model.named_parameters():
        if not p.requires_grad:
            continue
        (no_decay if id(p) in no_decay_ids else decay).append(p)
    groups = [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=lr)
