"""Known-correct alternative: depth-first walk over _modules with a memo old->new and a visited set for shared parents."""
from __future__ import annotations

from typing import Callable

from torch import nn



def replace_activations(model: nn.Module, old_type: type[nn.Module], factory: Callable[[], nn.Module]) -> int:
    new_for: dict[int, nn.Module] = {}
    visited: set[int] = set()

    def walk(parent: nn.Module) -> None:
        if id(parent) in visited:
            return
        visited.add(id(parent))
        for name, child in list(parent._modules.items()):
            if child is None or id(child) in {id(v) for v in new_for.values()}:
                continue
            if isinstance(child, old_type):
                new = new_for.get(id(child))
                if new is None:
                    new = new_for[id(child)] = factory()
                parent._modules[name] = new
            else:
                walk(child)

    walk(model)
    return len(new_for)
