"""Data parallelism by hand: average gradients across processes with ``all_reduce``.

Scenario (004 on DataParallel vs DistributedDataParallel; 002 Q7). Every process ("rank") holds a full copy of the
model and a different slice of the batch. After ``loss.backward()`` each rank has the gradient of *its* slice; for
the copies to stay identical, all of them must step with the gradient of the whole batch, which for equal slices
is the mean of the ranks' gradients. DistributedDataParallel does this with bucketed all-reduces that overlap the
backward pass; here you do it by hand, on the gloo backend, which runs on CPUs.

Task (the launcher has already joined the process group: use ``torch.distributed``, do not initialise it here):
- ``all_reduce_mean(tensor)``: replace ``tensor`` *in place*, on every rank, with the element-wise mean of that
  tensor over all ranks, and return it. ``torch.distributed.all_reduce`` sums in place by default; divide by
  ``torch.distributed.get_world_size()`` and never hard-code the number of processes. Floating-point tensors only.
  (Any route to the mean is fine: ``op=ReduceOp.AVG``, which gloo and nccl support in this PyTorch, is too.)
- ``average_gradients(model)``: after backward, make every parameter's ``.grad`` the mean over the ranks, so each
  rank holds the gradient of the full batch. Skip parameters whose ``.grad`` is ``None`` (frozen or unused: the same
  on every rank), and only those: a gradient that is all zeros on this rank may not be on another, so it is averaged
  too. Leave the parameters themselves alone and return ``None``.

Every rank must make the same collective calls in the same order, or the ranks wait for each other forever (the
tests give up after a timeout).
"""

from __future__ import annotations

import torch
import torch.distributed as dist  # noqa: F401  (all_reduce, get_world_size)
from torch import nn


def all_reduce_mean(tensor: torch.Tensor) -> torch.Tensor:
    """In place on every rank: ``tensor`` becomes its mean over all ranks. Returns ``tensor``."""
    raise NotImplementedError("11_distributed/all_reduce_mean: all_reduce the tensor (a sum) and divide by the world size")


def average_gradients(model: nn.Module) -> None:
    """Every parameter's gradient becomes its mean over the ranks: the gradient of the full batch."""
    raise NotImplementedError("11_distributed/all_reduce_mean: average every parameter's .grad over the ranks")
