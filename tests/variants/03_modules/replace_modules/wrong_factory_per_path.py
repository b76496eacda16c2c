"""Known-wrong: calls factory() once per path, so a shared module gets several different replacements (and is counted per path)."""
from __future__ import annotations

from typing import Callable

from torch import nn



def replace_activations(model: nn.Module, old_type: type[nn.Module], factory: Callable[[], nn.Module]) -> int:
    count = 0
    for path, mod in list(model.named_modules(remove_duplicate=False)):
        if path and isinstance(mod, old_type):
            parent_path, _, name = path.rpartition(".")
            setattr(model.get_submodule(parent_path), name, factory())
            count += 1
    return count
