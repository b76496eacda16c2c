"""NaN and inf: average around missing values, clean non-finite ones, and find the rows that hold them.

Scenario (003 Q22, 004 NaN scenario). A sensor pipeline marks dropped readings as NaN and saturated ones as
+inf or -inf, and the training loss went NaN on the very first batch: one ``x.mean()`` over a reading with a NaN
in it is NaN, and so is everything computed from it. Before touching the model you want three small tools.
The first cleaning attempt used the old trick ``x[x != x] = 0``: it found the NaNs (the only value not equal to
itself), missed every inf, and overwrote the caller's batch in place.

Task (``x`` is a floating tensor; none of the functions modifies its input):
- ``nan_safe_mean(x, dim)``: the mean along ``dim`` of the entries that are not NaN (``dim`` is removed, as in
  ``x.mean(dim)``). Only NaN is skipped: +-inf are real (saturated) readings and stay in the mean. A slice that is
  all NaN has no value to average and gives NaN, as ``torch.nanmean`` and ``numpy.nanmean`` do (this pack's
  choice: inventing 0.0 would hide a dead sensor).
- ``replace_nonfinite(x, value)``: a new tensor like ``x`` (same dtype; new even when ``x`` holds nothing to
  replace) with every NaN, +inf and -inf replaced by ``value`` (a number ``x``'s dtype holds).
- ``nonfinite_rows(x)``: for ``x`` of shape (N, D) or (N, D1, D2, ...), the indices of the rows ``x[i]`` that
  hold at least one NaN, +inf or -inf, as a 1-D int64 tensor in increasing order (empty when every row is clean).
"""

from __future__ import annotations

import torch


def nan_safe_mean(x: torch.Tensor, dim: int) -> torch.Tensor:
    """Mean along ``dim`` skipping NaN entries; an all-NaN slice gives NaN."""
    raise NotImplementedError("01_tensors/nan_inf: average along dim, leaving NaN entries out")


def replace_nonfinite(x: torch.Tensor, value: float) -> torch.Tensor:
    """A copy of ``x`` with NaN, +inf and -inf replaced by ``value``."""
    raise NotImplementedError("01_tensors/nan_inf: return a copy with NaN and +-inf replaced by value")


def nonfinite_rows(x: torch.Tensor) -> torch.Tensor:
    """Increasing int64 indices of the rows of ``x`` that contain NaN or +-inf."""
    raise NotImplementedError("01_tensors/nan_inf: indices of the rows holding NaN or +-inf")
