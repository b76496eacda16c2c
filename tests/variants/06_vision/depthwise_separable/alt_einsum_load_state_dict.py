"""Known-correct alternative: forward via nn.functional on the submodules' weights; dense weight by einsum, loaded with load_state_dict."""
from __future__ import annotations

import torch
from torch import nn

import torch.nn.functional as F


class DepthwiseSeparableConv(nn.Module):
    def __init__(
        self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1, bias: bool = True
    ) -> None:
        super().__init__()
        pad = kernel_size // 2
        self.depthwise = nn.Conv2d(in_channels, in_channels, (kernel_size, kernel_size), (stride, stride),
                                   (pad, pad), groups=in_channels, bias=False)
        self.pointwise = nn.Conv2d(in_channels, out_channels, kernel_size=(1, 1), bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        dw, pw = self.depthwise, self.pointwise
        y = F.conv2d(x, dw.weight, None, dw.stride, dw.padding, dw.dilation, dw.groups)
        return F.conv2d(y, pw.weight, pw.bias)


def as_dense_conv(module: DepthwiseSeparableConv) -> nn.Conv2d:
    """Dense conv."""
    dw, pw = module.depthwise, module.pointwise
    weight = torch.einsum("oc,ckl->ockl", pw.weight[:, :, 0, 0], dw.weight[:, 0]).detach().clone()
    dense = nn.Conv2d(dw.in_channels, pw.out_channels, dw.kernel_size, dw.stride, dw.padding,
                      bias=pw.bias is not None).to(weight)
    state = {"weight": weight}
    if pw.bias is not None:
        state["bias"] = pw.bias.detach().clone()
    dense.load_state_dict(state)
    return dense
