"""Known-correct alternative: model.requires_grad_(not freeze) before the new head; each parameter walks its own dotted prefixes up to ""."""
from __future__ import annotations

from typing import Any

from torch import nn
from torchvision.models import resnet18


def build_finetune_model(num_classes: int, freeze: bool = True) -> nn.Module:
    model = resnet18(weights=None)
    model.requires_grad_(not freeze)
    in_features = model.fc.in_features
    model.fc = nn.Linear(in_features, num_classes)
    return model


def _owner(param_name: str, lrs: dict[str, float]) -> str | None:
    prefix = param_name
    while prefix:
        prefix = prefix.rpartition(".")[0]
        if prefix in lrs:
            return prefix
    return None


def discriminative_param_groups(model: nn.Module, lrs: dict[str, float]) -> list[dict[str, Any]]:
    known = {name for name, _ in model.named_modules()}
    unknown = [key for key in lrs if key not in known]
    if unknown:
        raise ValueError(f"lrs keys that name no submodule: {unknown}")
    owned: dict[str, list] = {}
    for name, p in model.named_parameters():
        if p.requires_grad:
            key = _owner(name, lrs)
            if key is None:
                raise ValueError(f"trainable parameter {name} matches no key of lrs")
            owned.setdefault(key, []).append(p)
    return [{"params": owned[key], "lr": lr, "name": key} for key, lr in lrs.items() if key in owned]
