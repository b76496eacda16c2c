"""Known-correct alternative: counts window start positions with len(range(...)) per side via a helper."""
from __future__ import annotations

IntOrPair = int | tuple[int, int]


def _pair(v: IntOrPair) -> tuple[int, int]:
    return (v, v) if isinstance(v, int) else (int(v[0]), int(v[1]))


def _side(size: int, k: int, s: int, p: int, d: int) -> int:
    span = d * (k - 1) + 1
    n = len(range(0, size + 2 * p - span + 1, s))  # every start where the dilated kernel fits
    if n < 1:
        raise ValueError(f"kernel span {span} does not fit in padded size {size + 2 * p}")
    return n


def conv2d_output_size(h, w, kernel, stride=1, padding=0, dilation=1):
    """Output size."""
    params = [_pair(a) for a in (kernel, stride, padding, dilation)]
    return tuple(_side(size, *(p[i] for p in params)) for i, size in enumerate((h, w)))


def same_padding(kernel: int, dilation: int = 1) -> int:
    """Same padding."""
    span = dilation * (kernel - 1) + 1
    if span % 2 == 0:
        raise ValueError("even dilated kernel: no symmetric same padding")
    return (span - 1) // 2
