"""Known-correct alternative: sampler gets rank/world from the joined group, state_dict stripped of "module." by torch's helper."""

from __future__ import annotations

from typing import Callable

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.modules.utils import consume_prefix_in_state_dict_if_present
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, Dataset, DistributedSampler


def _train(ddp, loader, sampler, loss_fn, epochs, lr, dev):
    opt = torch.optim.SGD(ddp.parameters(), lr=lr, momentum=0.0)
    for epoch in range(epochs):
        sampler.set_epoch(epoch)
        for inputs, targets in loader:
            inputs, targets = inputs.to(dev), targets.to(dev)
            for p in ddp.parameters():
                p.grad = None
            loss_fn(ddp(inputs), targets).backward()
            opt.step()


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
    dist.init_process_group(backend="nccl" if cuda else "gloo", init_method="env://",
                            rank=rank, world_size=world_size)
    try:
        if cuda:
            torch.cuda.set_device(rank)
            dev = torch.device("cuda", rank)
            ddp = DistributedDataParallel(model.to(dev), device_ids=[rank], output_device=rank)
        else:
            dev = torch.device("cpu")
            ddp = DistributedDataParallel(model)
        # num_replicas / rank default to the group's world size / rank, just joined above
        sampler = DistributedSampler(dataset, shuffle=True, seed=seed)
        loader = DataLoader(dataset, batch_size=batch_size, sampler=sampler)
        _train(ddp, loader, sampler, loss_fn, epochs, lr, dev)
        state = ddp.state_dict()
        consume_prefix_in_state_dict_if_present(state, "module.")
        return {k: v.detach().to("cpu") for k, v in state.items()}
    finally:
        dist.destroy_process_group()
