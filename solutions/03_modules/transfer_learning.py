"""Fine-tune a pretrained ResNet: freeze the backbone, replace the head, give each part its own learning rate.

Scenario (000 Q4, 004). A 10-class product classifier starts from an ImageNet ResNet-18. The team wiki has two
recipes: feature extraction (freeze the backbone, train only a new head) and discriminative fine-tuning
(everything trains, early layers with smaller learning rates). The wiki's code froze the model *after*
replacing the head, so the head never trained either; and it picked parameters with ``if layer_name in name``,
so ``"conv1"`` also matched ``"layer1.0.conv1.weight"``: parameters landed in two groups (which ``torch.optim``
refuses) or in none (which silently never trains them).

Task 1: ``build_finetune_model(num_classes, freeze=True)`` returns a ``torchvision.models.resnet18`` built with
``weights=None`` (no downloads here; in production you would pass ``weights=ResNet18_Weights.DEFAULT``) whose
``model.fc`` is a new ``nn.Linear(model.fc.in_features, num_classes)``. With ``freeze=True`` every backbone
parameter has ``requires_grad=False`` and the new head's parameters are trainable; with ``freeze=False``
everything is trainable.

Task 2: ``discriminative_param_groups(model, lrs)`` returns parameter groups for any ``torch.optim`` optimizer:
- ``lrs`` maps submodule names, as ``model.named_modules()`` spells them (``"conv1"``, ``"layer4"``,
  ``"layer4.1"``, ``"fc"``), to learning rates; the key ``""`` is the model itself, i.e. a default;
- a parameter belongs to the most specific key that contains it: the key is ``""``, or the parameter's name
  starts with the key followed by a dot (so ``"layer1"`` does not claim ``"layer10.weight"``);
- only trainable parameters (``requires_grad=True``) are grouped: frozen ones need no optimizer state;
- each group is ``{"params": [...], "lr": lr, "name": key}``; groups follow the order of ``lrs``, parameters the
  order of ``model.named_parameters()``; a key left without trainable parameters gets no group;
- every trainable parameter lands in exactly one group: a key that names no submodule, or a trainable parameter
  that no key covers, raises ``ValueError`` naming it (when there are several, naming the first is enough).
"""

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
        if not param.requires_grad:
            continue
        owners = [key for key in lrs if key == "" or name.startswith(key + ".")]
        if not owners:
            uncovered.append(name)
            continue
        grouped[max(owners, key=len)].append(param)  # the longest matching name is the most specific module
    if uncovered:
        raise ValueError(f"no learning rate covers {uncovered}; add their module to lrs, or a default under ''")
    return [{"params": params, "lr": lrs[key], "name": key} for key, params in grouped.items() if params]
