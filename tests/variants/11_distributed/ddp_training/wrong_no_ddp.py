"""Known-wrong: trains the bare model on the shard: no gradient averaging, no weight broadcast."""

from __future__ import annotations

from typing import Callable

import torch
import torch.distributed as dist
from torch import nn
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
    on_gpu = device == "cuda"
    dist.init_process_group("nccl" if on_gpu else "gloo", rank=rank, world_size=world_size)
    try:
        place = torch.device("cuda", rank) if on_gpu else torch.device("cpu")
        if on_gpu:
            torch.cuda.set_device(place)
        ddp_model = model.to(place)
        sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True, seed=seed)
        loader = DataLoader(dataset, batch_size=batch_size, sampler=sampler)
        optimizer = torch.optim.SGD(ddp_model.parameters(), lr=lr)
        for epoch in range(epochs):
            sampler.set_epoch(epoch)
            for inputs, targets in loader:
                optimizer.zero_grad()
                loss = loss_fn(ddp_model(inputs.to(place)), targets.to(place))
                loss.backward()
                optimizer.step()
        return {name: tensor.detach().cpu().clone() for name, tensor in ddp_model.state_dict().items()}
    finally:
        dist.destroy_process_group()
