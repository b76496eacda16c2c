"""Known-wrong: after replacing a child it recurses into the new module, so a factory whose module contains old_type never ends."""
from __future__ import annotations

from typing import Callable

from torch import nn



def replace_activations(model: nn.Module, old_type: type[nn.Module], factory: Callable[[], nn.Module]) -> int:
    replaced: dict[int, nn.Module] = {}
    seen: set[int] = set()

    def visit(parent: nn.Module) -> None:
        if id(parent) in seen:
            return
        seen.add(id(parent))
        for name, child in list(parent._modules.items()):
            if child is None:
                continue
            if isinstance(child, old_type):
                if id(child) not in replaced:
                    replaced[id(child)] = factory()
                setattr(parent, name, replaced[id(child)])
            visit(getattr(parent, name))

    visit(model)
    return len(replaced)
