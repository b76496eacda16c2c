"""Known-wrong: uses model.apply and rebinds a local name, which never changes the parent."""

from typing import Callable

from torch import nn


def replace_activations(model: nn.Module, old_type: type[nn.Module], factory: Callable[[], nn.Module]) -> int:
    count = 0

    def swap(m: nn.Module) -> None:
        nonlocal count
        if isinstance(m, old_type):
            m = factory()  # noqa: F841  (the parent still holds the old module)
            count += 1

    model.apply(swap)
    return count
