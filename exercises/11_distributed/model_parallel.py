"""Model parallelism: one model split across two devices, fed in micro-batches so both stay busy.

Scenario (002 Q7). The model no longer fits on one GPU, so its first layers live on ``dev0`` and the rest on
``dev1``, as in the seed's ``self.fc1 = nn.Linear(10, 20).to("cuda:0")``. The activations must follow the layers:
an input left on the wrong device, or an activation not moved between the stages, fails with "Expected all
tensors to be on the same device". Split naively, one GPU idles while the other works; feeding the batch through
in micro-batches lets stage 1 start on the next chunk while stage 2 finishes the previous one (the pipelining of
PyTorch's model-parallel tutorial; CUDA launches are asynchronous, so the devices overlap).

Task: ``TwoStageModel(dev0, dev1, in_features=16, hidden=32, num_classes=4, split_size=None)``:
- ``self.stage1`` is ``nn.Sequential(nn.Linear(in_features, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU())``
  with every parameter on ``dev0``; ``self.stage2`` is ``nn.Sequential(nn.Linear(hidden, num_classes))`` on ``dev1``
  (the tests rely on these names and layouts);
- ``forward(x)`` accepts ``x`` on any device, runs stage 1 on ``dev0``, moves the activations to ``dev1`` for stage 2
  and returns the output on ``dev1``, where the targets and the loss belong;
- with a ``split_size``, the batch goes through in chunks of ``split_size`` rows (the last may be smaller), one chunk
  at a time through each stage, and the outputs are concatenated in order: the same values as the whole batch;
- backward needs no code: autograd carries the gradients back across every ``.to()``.
Without GPUs both devices can be "cpu". The tests also use the "meta" device (shapes, no data) as a stand-in
second device, which shows on any machine whether a tensor was left behind.
"""

from __future__ import annotations

import torch
from torch import nn


class TwoStageModel(nn.Module):
    def __init__(
        self,
        dev0: torch.device | str,
        dev1: torch.device | str,
        in_features: int = 16,
        hidden: int = 32,
        num_classes: int = 4,
        split_size: int | None = None,
    ) -> None:
        super().__init__()
        # self.stage1 (on dev0) and self.stage2 (on dev1): the layouts the docstring gives
        raise NotImplementedError("11_distributed/model_parallel: build stage1 on dev0 and stage2 on dev1")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("11_distributed/model_parallel: stage1 on dev0, move the activations to dev1, stage2")
