"""Known-correct alternative: keeps the default _transformed_types and filters by type inside transform(); nn.Sequential-free v2.Compose built from lists."""
from __future__ import annotations

from typing import Any

import torch
from torchvision import tv_tensors
from torchvision.transforms import v2
from torchvision.transforms.v2.functional import is_pure_tensor



class AddGaussianNoise(v2.Transform):
    def __init__(self, std: float) -> None:
        super().__init__()
        self.std = std

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        # v2 already skips extra pure tensors when an image is present; here only Images and pure tensors get noise
        if not (isinstance(inpt, tv_tensors.Image) or is_pure_tensor(inpt)):
            return inpt
        noisy = torch.clamp(inpt + torch.randn(inpt.shape, dtype=inpt.dtype, device=inpt.device) * self.std, 0.0, 1.0)
        if isinstance(inpt, tv_tensors.Image):
            return tv_tensors.Image(noisy)
        return noisy.as_subclass(torch.Tensor)


def _eval_steps(size: int) -> list[v2.Transform]:
    return [v2.Resize(size, antialias=True), v2.CenterCrop((size, size))]


def build_transforms(train: bool, size: int) -> v2.Transform:
    to_float = v2.ToDtype(torch.float32, scale=True)
    if not train:
        return v2.Compose(_eval_steps(size) + [to_float])
    return v2.Compose([v2.RandomResizedCrop((size, size), antialias=True), v2.RandomHorizontalFlip(p=0.5),
                       to_float, AddGaussianNoise(std=0.02)])
