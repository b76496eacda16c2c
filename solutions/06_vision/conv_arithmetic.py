"""Conv arithmetic: know the feature-map size before PyTorch tells you with a shape error.

Scenario (003 Q52, Q57). You are sizing a CNN by hand: how big is the map after a 7x7 stride-2 stem, after a
dilated 3x3, after a strided conv on an odd-sized input? Guess wrong and the first ``nn.Linear`` after the
flatten crashes with "mat1 and mat2 shapes cannot be multiplied". The interview formula
``(size + 2*padding - kernel) / stride + 1`` is only part of the story: it ignores dilation, and the division
rounds down.

Task:
- ``conv2d_output_size(h, w, kernel, stride, padding, dilation)`` returns the ``(height, width)`` that
  ``nn.Conv2d`` with those arguments produces on an ``h x w`` input, as two Python ``int``s. Each of kernel,
  stride, padding and dilation is an int (same for both sides) or an ``(for_height, for_width)`` pair, as in
  ``nn.Conv2d`` (sizes, kernel, stride and dilation at least 1, padding at least 0; other values are outside the
  contract). If the kernel does not fit (an output side would be smaller than 1), raise ``ValueError``.
- ``same_padding(kernel, dilation)`` returns the padding that keeps the size unchanged at stride 1 (what
  ``padding="same"`` does). It exists only when the dilated kernel is odd-sized; otherwise raise ``ValueError``.
"""

from __future__ import annotations

IntOrPair = int | tuple[int, int]


def _pair(value: IntOrPair) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else (value[0], value[1])


def _output_side(size: int, kernel: int, stride: int, padding: int, dilation: int) -> int:
    # a dilated kernel spans dilation*(kernel-1)+1 input pixels; the division floors (partial windows are dropped)
    span = dilation * (kernel - 1) + 1
    return (size + 2 * padding - span) // stride + 1


def conv2d_output_size(
    h: int,
    w: int,
    kernel: IntOrPair,
    stride: IntOrPair = 1,
    padding: IntOrPair = 0,
    dilation: IntOrPair = 1,
) -> tuple[int, int]:
    """The ``(height, width)`` of ``nn.Conv2d(..., kernel, stride, padding, dilation)`` applied to an h x w input."""
    sides = tuple(
        _output_side(size, k, s, p, d)
        for size, k, s, p, d in zip((h, w), _pair(kernel), _pair(stride), _pair(padding), _pair(dilation))
    )
    if min(sides) < 1:
        raise ValueError(f"kernel {kernel} (dilation {dilation}) does not fit a {h}x{w} input with padding {padding}")
    return sides


def same_padding(kernel: int, dilation: int = 1) -> int:
    """Padding that keeps the spatial size at stride 1; ``ValueError`` when no symmetric padding can."""
    span_minus_one = dilation * (kernel - 1)
    if span_minus_one % 2:
        raise ValueError(f"a kernel of {kernel} with dilation {dilation} spans an even number of pixels: "
                         "no symmetric padding keeps the size")
    return span_minus_one // 2
