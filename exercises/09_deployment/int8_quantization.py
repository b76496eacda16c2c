"""Int8 quantization from scratch: per-tensor scale and zero point, and a dynamically quantized Linear layer.

Scenario (003 Q97, 004). The edge camera's CPU is slow at float32 and short of memory; int8 weights are a
quarter of the size and int8 matmuls run several times faster. The seed answers with
``torch.quantization.quantize_dynamic``, whose eager quantization APIs current PyTorch deprecates (moving them to
the torchao project); the arithmetic underneath has not changed, and it is what you debug when a quantized
model's accuracy drops. A float ``x`` is stored as an int8 code ``q`` with ``x ~ (q - zero_point) * scale``.

Task: write
- ``quantize_per_tensor(x, symmetric=False)`` -> ``(q, scale, zero_point)``: ``q`` an int8 tensor of ``x``'s
  shape, ``scale`` a positive Python float, ``zero_point`` a Python int.
  Affine (default): the range ``[min(x.min(), 0), max(x.max(), 0)]`` (zero is always inside, so that 0.0, the
  value of padding and of every ReLU that is off, is stored exactly) is spread over all 256 codes -128..127:
  ``scale = (hi - lo) / 255``, ``zero_point`` the (rounded, clamped) code of 0.0, and
  ``q = clamp(round(x / scale) + zero_point, -128, 127)``, where ``round`` is ``torch.round`` (a tie goes to the
  even neighbour: 2.5 -> 2), here and in the symmetric case.
  Symmetric (for weights): ``zero_point = 0``, ``scale = max(|x|) / 127``, codes in -127..127.
  A tensor of zeros may take any finite positive scale (1.0 is customary; never divide by 0): its codes are
  all ``zero_point`` and come back as exact zeros.
  Every value then comes back within half a step: ``|dequantize(q, scale, zero_point) - x| <= scale / 2``.
- ``dequantize(q, scale, zero_point)``: the float32 tensor ``(q - zero_point) * scale``. Careful with int8
  arithmetic: -128 - 100 does not fit in an int8.
- ``QuantLinear(linear)``: an inference-only replacement for an ``nn.Linear``. It stores the weight quantized
  symmetrically as the int8 buffer ``weight_int8`` with the buffer ``weight_scale`` (a 0-d float32 tensor:
  buffers are what ``state_dict()`` saves), and the bias as the float
  buffer ``bias`` (``None`` without bias); it has no ``nn.Parameter``. ``forward`` quantizes its input
  (affine, per call: "dynamic" quantization), multiplies the integer codes accumulating in int32 (an int8
  accumulator overflows), and rescales: the result equals
  ``F.linear(dequantize(q_x, ...), dequantize(weight_int8, ...), bias)`` up to float rounding.
"""

from __future__ import annotations

import torch
from torch import nn

QMIN, QMAX = -128, 127


def quantize_per_tensor(x: torch.Tensor, symmetric: bool = False) -> tuple[torch.Tensor, float, int]:
    """Quantize ``x`` to int8 with one scale and zero point for the whole tensor."""
    raise NotImplementedError("09_deployment/int8_quantization: compute scale and zero_point, then round, "
                              "shift and clamp to int8")


def dequantize(q: torch.Tensor, scale: float, zero_point: int) -> torch.Tensor:
    """The float32 values ``(q - zero_point) * scale``."""
    raise NotImplementedError("09_deployment/int8_quantization: (q - zero_point) * scale, without int8 overflow")


class QuantLinear(nn.Module):
    """``nn.Linear`` with an int8 weight and dynamically quantized int8 inputs."""

    def __init__(self, linear: nn.Linear) -> None:
        super().__init__()
        # TODO: buffers weight_int8 (int8, symmetric), weight_scale and bias (float, or None)
        raise NotImplementedError("09_deployment/int8_quantization: quantize the weight into buffers")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("09_deployment/int8_quantization: quantize x, int32 matmul of the codes, rescale")
