"""Known-wrong: spots norm layers by a short type list (BatchNorm, LayerNorm) that misses RMSNorm, GroupNorm."""

from __future__ import annotations

import torch
from torch import nn


def adamw_with_decay_groups(model: nn.Module, lr: float, weight_decay: float) -> torch.optim.Optimizer:
    norm_types = (nn.BatchNorm1d, nn.BatchNorm2d, nn.LayerNorm)
    decay, no_decay, seen = [], [], set()
    for module in model.modules():
        for name, param in module.named_parameters(recurse=False):
            if not param.requires_grad or id(param) in seen:
                continue
            seen.add(id(param))
            (no_decay if name == "bias" or isinstance(module, norm_types) else decay).append(param)
    return torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay},
                              {"params": no_decay, "weight_decay": 0.0}], lr=lr)
