"""Custom autograd Functions: a safe log, a straight-through sign and a gradient reversal layer.

Scenario (003 Q34, 004). Three ops the team needs have no gradient PyTorch can derive on its own: a log that
must stay finite when a probability is exactly 0, the sign activation of a 1-bit network (its true gradient is
zero almost everywhere, so training needs the straight-through estimator), and the gradient reversal layer of
domain-adversarial training (identity going forward, the gradient turned around going back). Each becomes a
``torch.autograd.Function`` with a hand-written ``backward``.

Task: write the three Functions. They are used through ``.apply`` (``SafeLog.apply(x)``,
``GradReverse.apply(features, 0.5)``), from plain code and from inside ``nn.Module.forward``.
- ``SafeLog.apply(x, eps=1e-6)``: forward ``log(max(x, eps))``. Backward: ``grad / x`` where ``x >= eps``
  and exactly ``0`` where the clamp is active (``x < eps``), so the gradient is finite everywhere, at
  ``x = 0`` and for negative ``x`` too (careful: ``0 * (1 / 0)`` is NaN).
- ``StraightThroughSign.apply(x)``: forward ``torch.sign(x)``. Backward: the incoming gradient passed straight
  through where ``|x| <= 1`` (inclusive) and ``0`` where ``|x| > 1``.
- ``GradReverse.apply(x, lambda_)``: forward returns ``x``'s values unchanged (a view or a copy: either is
  fine); backward returns ``-lambda_ * grad``. ``lambda_`` is a Python float, not a tensor: nothing can flow
  into it.

Rules of the trade, which the tests check by behaviour:
- tensors that ``backward`` needs are saved with ``ctx.save_for_backward(...)`` and read back from
  ``ctx.saved_tensors`` (autograd then checks them for in-place changes and runs saved-tensor hooks on them);
  plain Python values such as ``eps`` or ``lambda_`` may live on ``ctx`` as attributes;
- ``backward`` returns one gradient per ``forward`` input, ``None`` for each non-tensor input;
- no state outside ``ctx``: two calls whose backward passes run later must not disturb each other.
"""

from __future__ import annotations

import torch
from torch.autograd import Function


class SafeLog(Function):
    """``log(max(x, eps))`` with a gradient that is finite everywhere."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
        raise NotImplementedError("02_autograd/custom_function: SafeLog.forward: save x for backward, "
                                  "return log(max(x, eps))")

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> tuple[torch.Tensor, None]:
        raise NotImplementedError("02_autograd/custom_function: SafeLog.backward: grad / x where x >= eps, else 0")


class StraightThroughSign(Function):
    """``sign(x)`` forward; the gradient passes straight through where ``|x| <= 1``."""

    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("02_autograd/custom_function: StraightThroughSign.forward: save x, return sign(x)")

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("02_autograd/custom_function: StraightThroughSign.backward: "
                                  "grad where |x| <= 1, else 0")


class GradReverse(Function):
    """Identity forward; ``-lambda_ * grad`` backward."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, lambda_: float) -> torch.Tensor:
        raise NotImplementedError("02_autograd/custom_function: GradReverse.forward: return x's values unchanged")

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> tuple[torch.Tensor, None]:
        raise NotImplementedError("02_autograd/custom_function: GradReverse.backward: "
                                  "-lambda_ * grad, and None for lambda_")
