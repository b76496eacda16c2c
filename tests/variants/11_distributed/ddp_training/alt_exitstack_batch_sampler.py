"""Known-correct alternative: group teardown via an ExitStack callback; DataLoader driven by a BatchSampler over the DistributedSampler."""

from __future__ import annotations

import contextlib
from typing import Callable

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import BatchSampler, DataLoader, Dataset, DistributedSampler


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
    backend = "gloo" if device == "cpu" else "nccl"
    with contextlib.ExitStack() as stack:
        dist.init_process_group(backend, rank=rank, world_size=world_size)
        stack.callback(dist.destroy_process_group)
        if backend == "nccl":
            torch.cuda.set_device(rank)
            dev = torch.device(f"cuda:{rank}")
            model = model.to(dev)
            ddp = DistributedDataParallel(model, device_ids=[dev.index])
        else:
            dev = torch.device("cpu")
            ddp = DistributedDataParallel(model)
        sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True, seed=seed)
        batches = BatchSampler(sampler, batch_size=batch_size, drop_last=False)
        loader = DataLoader(dataset, batch_sampler=batches)
        opt = torch.optim.SGD(ddp.parameters(), lr)
        for epoch in range(epochs):
            sampler.set_epoch(epoch)
            for inputs, targets in loader:
                opt.zero_grad(set_to_none=False)
                out = ddp(inputs.to(dev))
                loss = loss_fn(out, targets.to(dev))
                loss.backward()
                opt.step()
        return {name: t.cpu() for name, t in ddp.module.state_dict().items()}
