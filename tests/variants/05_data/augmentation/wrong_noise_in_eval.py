"""Known-wrong: the eval pipeline adds noise too, so validation scores change from run to run."""

import torch
from torchvision import tv_tensors
from torchvision.transforms import v2
from torchvision.transforms.v2.functional import is_pure_tensor


class AddGaussianNoise(v2.Transform):
    _transformed_types = (tv_tensors.Image, is_pure_tensor)

    def __init__(self, std):
        super().__init__()
        self.std = std

    def transform(self, inpt, params):
        noisy = (inpt + self.std * torch.randn_like(inpt)).clamp(0.0, 1.0)
        return tv_tensors.wrap(noisy, like=inpt) if isinstance(inpt, tv_tensors.Image) else noisy



def build_transforms(train, size):
    if train:
        return v2.Compose([v2.RandomResizedCrop(size, antialias=True), v2.RandomHorizontalFlip(),
                           v2.ToDtype(torch.float32, scale=True), AddGaussianNoise(0.02)])
    return v2.Compose([v2.Resize(size, antialias=True), v2.CenterCrop(size), v2.ToDtype(torch.float32, scale=True),
                       AddGaussianNoise(0.02)])
