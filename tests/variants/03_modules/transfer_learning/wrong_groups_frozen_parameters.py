"""Known-wrong: groups frozen parameters too."""

from __future__ import annotations

from typing import Any

from torch import nn
from torchvision.models import resnet18


def build_finetune_model(num_classes: int, freeze: bool = True) -> nn.Module:
    """ResNet-18 with a new ``num_classes`` head; with ``freeze`` only the head trains."""
    model = resnet18(weights=None)  # production: weights=ResNet18_Weights.DEFAULT
    if freeze:
        for param in model.parameters():
            param.requires_grad_(False)
    # created after freezing: new parameters require grad by default, so the head alone trains
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model


def discriminative_param_groups(model: nn.Module, lrs: dict[str, float]) -> list[dict[str, Any]]:
    """One optimizer group per key of ``lrs``; each trainable parameter goes to the most specific key."""
    modules = dict(model.named_modules())
    unknown = [key for key in lrs if key not in modules]
    if unknown:
        raise ValueError(f"no submodule named {unknown}; valid names come from model.named_modules()")

    grouped: dict[str, list[nn.Parameter]] = {key: [] for key in lrs}
    uncovered = []
    # named_parameters() yields a shared (tied) parameter once, so it cannot land in two groups
    for name, param in model.named_parameters():
        owners = [key for key in lrs if key == "" or name.startswith(key + ".")]
        if not owners:
            uncovered.append(name)
            continue
        grouped[max(owners, key=len)].append(param)  # the longest matching name is the most specific module
    if uncovered:
        raise ValueError(f"no learning rate covers {uncovered}; add their module to lrs, or a default under ''")
    return [{"params": params, "lr": lrs[key], "name": key} for key, params in grouped.items() if params]
