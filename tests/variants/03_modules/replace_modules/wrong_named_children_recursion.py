"""Known-wrong: recursion over named_children(), which hides a module registered twice in the same parent."""

from typing import Callable

from torch import nn


def replace_activations(model: nn.Module, old_type: type[nn.Module], factory: Callable[[], nn.Module]) -> int:
    new_for: dict[nn.Module, nn.Module] = {}

    def visit(parent: nn.Module) -> None:
        for name, child in list(parent.named_children()):
            if isinstance(child, old_type):
                if child not in new_for:
                    new_for[child] = factory()
                setattr(parent, name, new_for[child])
            else:
                visit(child)

    visit(model)
    return len(new_for)
