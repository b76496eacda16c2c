"""Known-wrong: weight and bias stored as plain tensors, so the module never registers them."""

import math

import torch
from torch import nn


class CustomLinear(nn.Module):
    def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        self.weight = torch.empty(out_features, in_features, requires_grad=True)
        self.bias = torch.empty(out_features, requires_grad=True) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        bound = 1.0 / math.sqrt(self.in_features)
        with torch.no_grad():
            self.weight.uniform_(-bound, bound)
            if self.bias is not None:
                self.bias.uniform_(-bound, bound)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = x @ self.weight.t()
        return out + self.bias if self.bias is not None else out
