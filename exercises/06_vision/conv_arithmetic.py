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


def conv2d_output_size(
    h: int,
    w: int,
    kernel: IntOrPair,
    stride: IntOrPair = 1,
    padding: IntOrPair = 0,
    dilation: IntOrPair = 1,
) -> tuple[int, int]:
    """The ``(height, width)`` of ``nn.Conv2d(..., kernel, stride, padding, dilation)`` applied to an h x w input."""
    # TODO: apply the formula to each side; an int argument means the same value for height and width
    raise NotImplementedError("06_vision/conv_arithmetic: compute the conv output size, dilation included")


def same_padding(kernel: int, dilation: int = 1) -> int:
    """Padding that keeps the spatial size at stride 1; ``ValueError`` when no symmetric padding can."""
    raise NotImplementedError("06_vision/conv_arithmetic: return the padding that keeps the size at stride 1")
