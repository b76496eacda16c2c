"""Known-wrong: replaces only the model's direct children, never nested ones."""

from typing import Callable

from torch import nn


def replace_activations(model: nn.Module, old_type: type[nn.Module], factory: Callable[[], nn.Module]) -> int:
    count = 0
    for name, child in list(model.named_children()):
        if isinstance(child, old_type):
            setattr(model, name, factory())
            count += 1
    return count
