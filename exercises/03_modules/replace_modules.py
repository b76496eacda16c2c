"""Swap every activation of one type for another, at any depth of a model, and count the swaps.

Scenario (002 Q10, quick check). The team wants to try GELU instead of ReLU in a trained model without rewriting
its classes. The interview answer says "use ``apply``", but ``model.apply(fn)`` only hands ``fn`` each module:
rebinding a name inside ``fn`` (``m = nn.GELU()``) changes nothing in the parent that holds the module. To replace
a submodule you assign a new child on its parent, as in ``setattr(parent, child_name, new_module)``.

Task: write ``replace_activations(model, old_type, factory)`` that changes ``model`` in place:
- every module that is an instance of ``old_type`` (subclasses included), at any depth, inside ``nn.Sequential``,
  ``nn.ModuleList``, ``nn.ModuleDict`` or custom modules, is replaced by ``factory()`` (called with no
  arguments: ``nn.GELU`` or ``lambda: nn.LeakyReLU(0.1)``);
- a module registered in several places (one ``nn.ReLU`` object used twice in a Sequential, or shared by two
  blocks) is replaced everywhere by a single new module, so those places still share one module;
- the new modules are not searched in turn (a factory may return something that contains an ``old_type``), and
  nothing inside a replaced module is visited;
- every other module stays the very same object (parameters included, so an existing optimizer still works);
- ``model`` itself is never replaced;
- the return value is the number of distinct modules replaced (a shared module counts once): the ``old_type``
  instances of ``model.modules()`` beforehand, leaving out ``model`` itself and any ``old_type`` nested inside
  another ``old_type`` (that one is replaced whole, so what is inside it is neither visited nor counted).
"""

from __future__ import annotations

from typing import Callable

from torch import nn


def replace_activations(model: nn.Module, old_type: type[nn.Module], factory: Callable[[], nn.Module]) -> int:
    """Replace every ``old_type`` submodule of ``model`` by ``factory()``; return how many modules were replaced."""
    raise NotImplementedError("03_modules/replace_modules: find every old_type module and set a new one on its parent")
