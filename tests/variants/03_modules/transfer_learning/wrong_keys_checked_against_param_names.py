"""Known-wrong: a key is 'unknown' when no parameter name starts with it, so parameterless submodules (relu) raise."""
from __future__ import annotations

from typing import Any

from torch import nn
from torchvision.models import resnet18


def build_finetune_model(num_classes: int, freeze: bool = True) -> nn.Module:
    model = resnet18(weights=None)
    if freeze:
        for p in model.parameters():
            p.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model


def discriminative_param_groups(model: nn.Module, lrs: dict[str, float]) -> list[dict[str, Any]]:
    names = [n for n, _ in model.named_parameters()]
    for key in lrs:
        if key != "" and not any(n.startswith(key + ".") for n in names):
            raise ValueError(f"no submodule named {key!r}")
    grouped: dict[str, list] = {key: [] for key in lrs}
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        matches = [key for key in lrs if key == "" or name.startswith(key + ".")]
        if not matches:
            raise ValueError(f"parameter {name!r} is covered by no key")
        grouped[max(matches, key=len)].append(p)
    return [{"params": ps, "lr": lrs[key], "name": key} for key, ps in grouped.items() if ps]
