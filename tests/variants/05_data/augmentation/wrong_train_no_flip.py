"""Known-wrong: the train pipeline has no RandomHorizontalFlip (issue 15): crops and noise only."""
from __future__ import annotations

from typing import Any

import torch
from torchvision import tv_tensors
from torchvision.transforms import v2
from torchvision.transforms.v2.functional import is_pure_tensor



class AddGaussianNoise(v2.Transform):
    _transformed_types = (tv_tensors.Image, is_pure_tensor)

    def __init__(self, std: float) -> None:
        super().__init__()
        self.std = std

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        out = (inpt + self.std * torch.randn_like(inpt)).clamp(0, 1)
        return tv_tensors.wrap(out, like=inpt) if isinstance(inpt, tv_tensors.Image) else out


def build_transforms(train: bool, size: int) -> v2.Transform:
    if train:
        return v2.Compose([v2.RandomResizedCrop(size),
                           v2.ToDtype(torch.float32, scale=True), AddGaussianNoise(0.02)])
    return v2.Compose([v2.Resize(size), v2.CenterCrop(size), v2.ToDtype(torch.float32, scale=True)])
