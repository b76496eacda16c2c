"""Known-wrong: divides with `/`, returning floats such as 16.5 instead of floored ints."""

from __future__ import annotations

IntOrPair = int | tuple[int, int]


def _pair(value: IntOrPair) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else (value[0], value[1])


def _output_side(size: int, kernel: int, stride: int, padding: int, dilation: int) -> int:
    # a dilated kernel spans dilation*(kernel-1)+1 input pixels; the division floors (partial windows are dropped)
    span = dilation * (kernel - 1) + 1
    return (size + 2 * padding - span) / stride + 1


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
