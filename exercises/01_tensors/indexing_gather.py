"""Indexing and gather: one score per sample, means that skip padding, and the top classes of each row.

Scenario (003 Q10, Q25). An evaluation script needs three numbers per sample: the score the model gave the
true class (for a margin metric), the mean embedding of each padded sentence, and the model's top-k classes.
Its first version wrote ``logits[:, labels]``, which returns an N x N matrix (every sample scored at every
sample's label) that the next ``.mean()`` quietly averaged. The second divided every sentence's sum by the padded
length, shrinking the means of short sentences; its fix divided by the true length, and the first empty
sentence turned the whole batch NaN.

Task (no Python loops over rows: the tests count the tensor operations you dispatch, and that count must not
grow with the batch size; none of the functions modifies its inputs):
- ``pick_class_scores(logits, labels)``: ``logits`` (N, C), ``labels`` (N,) int64 in ``[0, C)`` -> (N,) with
  ``out[n] = logits[n, labels[n]]``, differentiable with respect to ``logits``. Logits of classes masked out may
  be ``-inf``; every other row entry is left out exactly, whatever it holds.
- ``masked_mean(x, mask, dim)``: the mean of floating ``x`` along ``dim`` over the entries where the bool ``mask``
  (same shape as ``x``) is True; ``dim`` is removed, as in ``x.mean(dim)``. Masked-out entries are ignored whatever
  they hold, even NaN or inf (padding is not always zeros); kept entries are averaged as they are, so a kept NaN
  or inf shows in its slice's mean as in ``x.mean(dim)``. A slice with no True entry at all has mean 0.0, not
  NaN: this pack's choice, so that an empty sentence contributes a zero vector instead of poisoning the batch.
- ``topk_indices_per_row(x, k)``: ``x`` (N, C) -> (N, k) int64, the column indices of the k largest values of
  each row, largest first (``0 <= k <= C``; the tests use rows without ties).
"""

from __future__ import annotations

import torch


def pick_class_scores(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """``logits[n, labels[n]]`` for every row ``n``: (N,)."""
    raise NotImplementedError("01_tensors/indexing_gather: pick each row's score at its own label")


def masked_mean(x: torch.Tensor, mask: torch.Tensor, dim: int) -> torch.Tensor:
    """Mean of ``x`` along ``dim`` over the entries where ``mask`` is True; 0.0 for a fully masked slice."""
    raise NotImplementedError("01_tensors/indexing_gather: average only the entries where mask is True")


def topk_indices_per_row(x: torch.Tensor, k: int) -> torch.Tensor:
    """Column indices of the ``k`` largest values of each row of ``x``, largest first: (N, k) int64."""
    raise NotImplementedError("01_tensors/indexing_gather: indices of the k largest values of each row")
