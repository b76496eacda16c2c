"""Known-wrong: a pair is honoured for kernel only; stride/padding/dilation pairs use their first entry for both sides."""
from __future__ import annotations

IntOrPair = int | tuple[int, int]


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)

def _first(v):
    return v if isinstance(v, int) else v[0]


def conv2d_output_size(h, w, kernel, stride=1, padding=0, dilation=1):
    """Output size."""
    s, p, d = _first(stride), _first(padding), _first(dilation)
    out = []
    for size, k in zip((h, w), _pair(kernel)):
        n = (size + 2 * p - d * (k - 1) - 1) // s + 1
        if n < 1:
            raise ValueError("kernel does not fit")
        out.append(n)
    return tuple(out)


def same_padding(kernel, dilation=1):
    """Same padding."""
    span = dilation * (kernel - 1) + 1
    if span % 2 == 0:
        raise ValueError("even")
    return (span - 1) // 2
