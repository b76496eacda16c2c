"""Known-wrong: reconnects the graph by deleting the ReLU6 clip, which changes the outputs."""

import torch
from torch import nn


class PedestrianNet(nn.Module):
    def __init__(self, in_features: int = 8, hidden: int = 16, num_classes: int = 2) -> None:
        super().__init__()
        self.stem = nn.Linear(in_features, hidden)
        self.body = nn.Linear(hidden, hidden)
        self.head = nn.Linear(hidden, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.body(self.stem(x)))
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
    grads = torch.autograd.grad(loss, [p for _, p in trainable], retain_graph=True, allow_unused=True)
    return [name for (name, _), g in zip(trainable, grads) if g is None or not bool(g.any())]
