"""Known-wrong: bias bound uses 1/sqrt(out_features) (right only when in_features == out_features)."""
from __future__ import annotations

import math

import torch
from torch import nn



class CustomLinear(nn.Module):
    def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = nn.Parameter(torch.empty(out_features, in_features))
        if bias:
            self.bias = nn.Parameter(torch.empty(out_features))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        with torch.no_grad():
            self.weight.uniform_(-1 / math.sqrt(self.in_features), 1 / math.sqrt(self.in_features))
            if self.bias is not None:
                bound = 1 / math.sqrt(self.out_features)  # fan of the bias vector itself
                self.bias.uniform_(-bound, bound)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = x @ self.weight.T
        if self.bias is not None:
            out = out + self.bias
        return out
