"""Known-correct alternative: collects (parent, name, old) slots first, skipping paths below a replaced module, then assigns."""
from __future__ import annotations

from typing import Callable

from torch import nn



def replace_activations(model: nn.Module, old_type: type[nn.Module], factory: Callable[[], nn.Module]) -> int:
    slots: list[tuple[str, str, nn.Module]] = []
    cut: list[str] = []
    for path, mod in model.named_modules(remove_duplicate=False):
        if not path or any(path.startswith(c + ".") for c in cut):
            continue
        if isinstance(mod, old_type):
            cut.append(path)
            parent_path, _, name = path.rpartition(".")
            slots.append((parent_path, name, mod))
    new_for: dict[int, nn.Module] = {}
    for parent_path, name, old in slots:
        if id(old) not in new_for:
            new_for[id(old)] = factory()
        new = new_for[id(old)]
        setattr(model.get_submodule(parent_path), name, new)
    return len(new_for)
