"""Known-wrong: dead_parameters calls autograd.grad without retain_graph, so loss.backward() fails after it."""

import torch
from torch import nn


class PedestrianNet(nn.Module):
    def __init__(self, in_features: int = 8, hidden: int = 16, num_classes: int = 2) -> None:
        super().__init__()
        self.stem = nn.Linear(in_features, hidden)
        self.body = nn.Linear(hidden, hidden)
        self.head = nn.Linear(hidden, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = nn.functional.relu6(self.stem(x))
        h = torch.relu(self.body(h))
        return self.head(h.to(dtype=self.head.weight.dtype, device=self.head.weight.device))


def train_step(model, optimizer, inputs, labels):
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(inputs), labels)
    loss.backward()
    optimizer.step()
    return loss.item()


def dead_parameters(model, loss):
    trainable = [(name, p) for name, p in model.named_parameters() if p.requires_grad]
    if not loss.requires_grad:
        return [name for name, _ in trainable]
    grads = torch.autograd.grad(loss, [p for _, p in trainable], allow_unused=True)
    return [name for (name, _), g in zip(trainable, grads) if g is None or not bool(g.any())]
