"""Known-wrong: raises only for a negative side, so a kernel exactly one pixel too big returns 0."""
from __future__ import annotations

IntOrPair = int | tuple[int, int]


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)

def conv2d_output_size(h, w, kernel, stride=1, padding=0, dilation=1):
    """Output size."""
    out = []
    for i, size in enumerate((h, w)):
        k, s, p, d = (_pair(a)[i] for a in (kernel, stride, padding, dilation))
        n = (size + 2 * p - d * (k - 1) - 1) // s + 1
        if n < 0:
            raise ValueError("kernel does not fit")
        out.append(n)
    return tuple(out)


def same_padding(kernel, dilation=1):
    """Same padding."""
    span = dilation * (kernel - 1) + 1
    if span % 2 == 0:
        raise ValueError("even")
    return (span - 1) // 2
