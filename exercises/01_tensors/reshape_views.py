"""Reshape, permute and views: the classifier head that crashed on channels-last images.

Scenario (003 Q16-Q18, Q23). An image classifier flattens its backbone's (N, C, H, W) feature maps before the
linear head with ``x.view(x.size(0), -1)``. It worked for months, then crashed with "view size is not compatible
with input tensor's size and stride ... Use .reshape(...) instead" the day the backbone started handing over
permuted (non-contiguous) feature maps. A teammate's "fix" for an image library that wants (N, H, W, C) used
``x.reshape(N, H, W, C)``: the shape was right and every picture was scrambled.

Task:
- ``flatten_features(x)``: (N, C, H, W) -> (N, C*H*W), elements in the order ``torch.flatten(x, 1)`` gives
  (channel, then row, then column). It must accept non-contiguous input, must return a view (no copy) whenever
  the (C, H, W) part can be flattened without moving data (always when ``x.is_contiguous()``, the default
  row-major layout, and also for a strided slice of the batch such as ``x[::2]``), and must work for an empty
  batch (N = 0).
- ``to_channels_last(x)``: (N, C, H, W) -> (N, H, W, C) with ``out[n, h, w, c] == x[n, c, h, w]``, as a view of
  ``x`` (no data copied). This reorders the dimensions themselves; it is not ``torch.channels_last``, a memory
  format that keeps the shape (N, C, H, W).
- ``add_batch_dim(x)``: a single sample becomes a batch of one: shape (…) -> (1, …) for any number of
  dimensions (a (C, H, W) image -> (1, C, H, W)), as a view of ``x``.
"""

from __future__ import annotations

import torch


def flatten_features(x: torch.Tensor) -> torch.Tensor:
    """(N, C, H, W) -> (N, C*H*W); a view when ``x`` is contiguous, a copy only when it must be (as ``flatten``)."""
    raise NotImplementedError("01_tensors/reshape_views: flatten all but the batch dim, accepting non-contiguous x")


def to_channels_last(x: torch.Tensor) -> torch.Tensor:
    """(N, C, H, W) -> (N, H, W, C), a view of ``x``."""
    raise NotImplementedError("01_tensors/reshape_views: reorder (N, C, H, W) to (N, H, W, C) as a view")


def add_batch_dim(x: torch.Tensor) -> torch.Tensor:
    """(…) -> (1, …), a view of ``x``."""
    raise NotImplementedError("01_tensors/reshape_views: prepend a batch dimension of size 1")
