"""Tensors from lists and NumPy arrays: the right dtype, and memory shared only when you mean it.

Scenario (003 Q3-Q9, 001 Q5). A tabular model reads its features and class labels from CSV rows as Python
lists, and gets embeddings from a colleague's NumPy preprocessing step. The first training run crashed in the
loss with "expected scalar type Long but found Float": the labels had been built with ``torch.Tensor(...)``,
which always makes float32. After that was fixed, a second bug appeared: a batch changed its values when the
NumPy code later normalised its array in place, because the tensor was a view of that array's memory.

Task: write four small converters.
- ``as_float32(data)``: features as a float32 tensor, whatever numbers ``data`` holds (Python ints or floats,
  nested lists, a NumPy array of any numeric dtype, a single number). Whether the result shares memory with a
  float32 NumPy input is not specified (the tests don't check it).
- ``as_labels(data)``: class labels (Python or NumPy integers or floats) as an int64 tensor of the same shape
  and the same values, however large. Labels that passed through a CSV as whole-number floats
  (``[0.0, 2.0, 1.0]``) are accepted; a fractional, NaN or infinite label raises ``ValueError`` instead of being
  silently turned into a different class. Whether the result shares memory with an int64 input is not specified.
- ``share_numpy(arr)``: a tensor that shares ``arr``'s memory: same dtype and shape, and a write through either
  one is seen by the other (``arr`` is writable, with no negative strides: torch has none).
- ``copy_numpy(arr)``: a tensor with ``arr``'s dtype, shape and values that never shares memory with ``arr``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch


def as_float32(data: Any) -> torch.Tensor:
    """``data`` (number, nested list/tuple, or NumPy array) as a float32 tensor of the same shape."""
    raise NotImplementedError("01_tensors/creation_dtypes: build a float32 tensor from data")


def as_labels(data: Any) -> torch.Tensor:
    """Class labels as int64; whole-number floats are accepted, fractional, NaN or inf ones raise ``ValueError``."""
    raise NotImplementedError("01_tensors/creation_dtypes: build an int64 label tensor, rejecting fractional labels")


def share_numpy(arr: np.ndarray) -> torch.Tensor:
    """A tensor viewing ``arr``'s memory: same dtype, writes through either side are seen by both."""
    raise NotImplementedError("01_tensors/creation_dtypes: return a tensor that shares arr's memory")


def copy_numpy(arr: np.ndarray) -> torch.Tensor:
    """A tensor with ``arr``'s dtype and values in memory of its own."""
    raise NotImplementedError("01_tensors/creation_dtypes: return a tensor that copies arr")
