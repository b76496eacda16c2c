"""DistributedDataParallel end to end: a process group, a sharded loader, replicas that stay identical.

Scenario (002 Q7, 004). The cluster plan of 002 Q7 starts with data parallelism: one process per device, each
with a full replica wrapped in DistributedDataParallel and reading its own shard of the data through a
DistributedSampler. Done right, N processes with a per-process batch of b train exactly like one process with a
batch of N*b. Done wrong, the replicas drift apart, every epoch replays the same order, or the saved weights carry
a "module." prefix that no plain model can load.

Task: ``ddp_worker(rank, world_size, model, dataset, *, loss_fn, epochs, batch_size, lr, seed, device="cpu")`` runs in
each of the ``world_size`` processes (the launcher has set MASTER_ADDR and MASTER_PORT, and gives every process its
own ``model``, built independently) and
1. joins the process group: ``torch.distributed.init_process_group`` with backend "gloo" when ``device`` is "cpu"
   ("nccl" for "cuda", with the model on ``cuda:<rank>``), this ``rank`` and ``world_size``;
2. wraps the model in ``DistributedDataParallel``, which broadcasts rank 0's weights so every replica starts equal,
   then averages the gradients across ranks during each backward;
3. feeds this rank its shard: ``DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True,
   seed=seed)`` in a ``DataLoader`` with ``batch_size`` samples per rank, calling ``sampler.set_epoch(epoch)`` at the
   start of every epoch so each epoch gets a new order;
4. trains ``epochs`` epochs with ``torch.optim.SGD(lr=lr)`` (no momentum): zero the gradients,
   ``loss_fn(outputs, targets)`` (the ``loss_fn`` given, arguments in that order: it need not be symmetric),
   backward, step;
5. returns the trained weights as the state_dict of the *unwrapped* model (keys without "module."), tensors on the
   CPU, and leaves the process group (``destroy_process_group``) before returning, also when training raises: then
   the exception propagates to the caller unchanged (re-raised, never caught and turned into a return).

A launcher runs it as ``torch.multiprocessing.spawn(run, args=(world_size, ...), nprocs=world_size)`` with a
picklable ``run`` that calls ``ddp_worker``.
"""

from __future__ import annotations

from typing import Callable

import torch
import torch.distributed as dist  # noqa: F401
from torch import nn
from torch.nn.parallel import DistributedDataParallel  # noqa: F401
from torch.utils.data import DataLoader, Dataset, DistributedSampler  # noqa: F401


def ddp_worker(
    rank: int,
    world_size: int,
    model: nn.Module,
    dataset: Dataset,
    *,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    epochs: int,
    batch_size: int,
    lr: float,
    seed: int,
    device: str = "cpu",
) -> dict[str, torch.Tensor]:
    """Trains this rank's replica with DDP on its shard; returns the unwrapped model's weights on the CPU."""
    raise NotImplementedError("11_distributed/ddp_training: init the process group, wrap in DDP, shard with "
                              "DistributedSampler, train, return the unwrapped state_dict, destroy the group")
