"""Known-wrong: dead_parameters calls loss.backward() and reads .grad, fooled by stale gradients."""

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
    loss.backward(retain_graph=True)
    return [name for name, p in model.named_parameters()
            if p.requires_grad and (p.grad is None or not bool(p.grad.any()))]
