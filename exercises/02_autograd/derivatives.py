"""Derivatives on demand: ask autograd for a gradient without touching the caller's tensors.

Scenario (001 Q4, 003 Q26-Q30). A sensitivity-analysis tool asks "how does this score change with the input?"
for the same input many times. Its first version set ``x.requires_grad_()``, called ``f(x).backward()`` and
read ``x.grad``: the second query answered twice the first, because ``backward()`` accumulates into ``.grad``,
and the caller's tensor came back tracking gradients it never asked for.

Task: write two pure functions (no side effects on their arguments, nothing carried from one call to the next).
``f`` is itself pure (it never edits its argument in place) and its output depends on ``x`` through
differentiable operations; ``v`` has ``x``'s dtype. Both answers are exact (autograd's, in ``x``'s dtype), not
finite-difference estimates:
- ``derivative(f, x)``: the gradient of a scalar-valued ``f`` at ``x``, a tensor shaped like ``x``
  (``f = lambda x: x ** 2`` at ``x = 3.0`` gives ``6.0``);
- ``jacobian_vector_product(f, x, v)``: ``J @ v``, where ``J`` is the Jacobian of ``f`` at ``x`` (one row per
  element of ``f(x)``, one column per element of ``x``) and ``v`` is shaped like ``x``. The result is shaped
  like ``f(x)``: the directional derivative of ``f`` at ``x`` along ``v``. (Not ``v @ J``: that is what
  ``backward(gradient=v)`` computes.)

Both must
- return a tensor with no autograd history (``requires_grad=False``, no ``grad_fn``),
- leave ``x`` as it came: its ``requires_grad`` flag and its ``.grad`` unchanged,
- give the same answer however many times they are called,
- work even when the caller has gradients switched off (inside ``torch.no_grad()``).
"""

from __future__ import annotations

from typing import Callable

import torch


def derivative(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """The gradient of scalar ``f`` at ``x``, shaped like ``x``."""
    raise NotImplementedError("02_autograd/derivatives: return df/dx at x without calling .backward() "
                              "on the caller's x")


def jacobian_vector_product(
    f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, v: torch.Tensor
) -> torch.Tensor:
    """``J_f(x) @ v``, shaped like ``f(x)``."""
    raise NotImplementedError("02_autograd/derivatives: return J @ v, shaped like f(x), without touching x")
