"""Known-wrong variant: applies the linear-scaling rule lr * world_size instead of the given lr."""

from __future__ import annotations

from typing import Callable

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, Dataset, DistributedSampler


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
    cuda = device.startswith("cuda")
    dist.init_process_group("nccl" if cuda else "gloo", rank=rank, world_size=world_size)
    try:
        if cuda:
            torch.cuda.set_device(rank)
            dev = torch.device("cuda", rank)
            model = model.to(dev)
            ddp = DistributedDataParallel(model, device_ids=[rank])
        else:
            dev = torch.device("cpu")
            ddp = DistributedDataParallel(model)
        sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True, seed=seed)
        loader = DataLoader(dataset, batch_size=batch_size, sampler=sampler)
        optimizer = torch.optim.SGD(ddp.parameters(), lr=lr * world_size)  # linear scaling rule
        for epoch in range(epochs):
            sampler.set_epoch(epoch)
            for inputs, targets in loader:
                inputs, targets = inputs.to(dev), targets.to(dev)
                optimizer.zero_grad()
                loss = loss_fn(ddp(inputs), targets)
                loss.backward()
                optimizer.step()
        return {k: v.detach().cpu() for k, v in ddp.module.state_dict().items()}
    finally:
        dist.destroy_process_group()
