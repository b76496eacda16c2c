"""Known-correct alternative: one pass over named_modules with a seen-set; norm layers by base class or a class name ending in Norm."""

from __future__ import annotations

import re

import torch
from torch import nn


def _is_norm(module: nn.Module) -> bool:
    known = (nn.modules.batchnorm._NormBase, nn.LayerNorm, nn.GroupNorm, nn.RMSNorm, nn.LocalResponseNorm)
    return isinstance(module, known) or re.search(r"Norm(\d+d)?$", type(module).__name__) is not None


def adamw_with_decay_groups(model: nn.Module, lr: float, weight_decay: float) -> torch.optim.Optimizer:
    seen: set[int] = set()
    buckets: dict[bool, list[nn.Parameter]] = {True: [], False: []}
    for _, module in model.named_modules():
        norm = _is_norm(module)
        for pname, p in module.named_parameters(recurse=False):
            if id(p) in seen or not p.requires_grad:
                continue
            seen.add(id(p))
            buckets[not (norm or pname == "bias")].append(p)
    return torch.optim.AdamW(
        [
            {"params": buckets[False], "weight_decay": 0.0, "lr": lr},
            {"params": buckets[True], "weight_decay": weight_decay, "lr": lr},
        ],
        lr=lr,
    )
