"""Known-wrong: recursion over named_children(), which skips the second slot of a module registered twice in one parent."""
from __future__ import annotations

from typing import Callable

from torch import nn



def replace_activations(model: nn.Module, old_type: type[nn.Module], factory: Callable[[], nn.Module]) -> int:
    replaced: dict[int, nn.Module] = {}

    def visit(parent: nn.Module) -> None:
        for name, child in parent.named_children():
            if isinstance(child, old_type):
                if id(child) not in replaced:
                    replaced[id(child)] = factory()
                setattr(parent, name, replaced[id(child)])
            else:
                visit(child)

    visit(model)
    return len(replaced)
