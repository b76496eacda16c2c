"""Training and evaluation transforms with torchvision.transforms.v2, plus a custom noise transform.

Scenario (000 Q3, 003 Q85-Q86, 004). A small image classifier overfits, so the team adds augmentation: random
crops, flips and a little sensor noise, which torchvision does not ship. The first attempt put the random
transforms into the validation pipeline too (validation scores wobbled from run to run), fed 0-255 floats to a
model trained on 0-1 inputs, and used numpy for the noise, so ``torch.manual_seed`` no longer reproduced a run.

Task:
- ``AddGaussianNoise(std)``, a subclass of ``torchvision.transforms.v2.Transform`` (override ``transform``), adds
  ``std * torch.randn_like(image)``, standard normal noise from torch's global RNG (so ``torch.manual_seed``
  reproduces it, as for the built-in transforms), to float images in [0, 1] and clamps the result to [0, 1]. Like the built-ins it accepts a
  whole sample, e.g. ``noise(image, mask, label)``: it changes only the images (a plain tensor, which v2 treats as
  the image, or a ``tv_tensors.Image``, which stays a ``tv_tensors.Image``) and passes everything else through
  untouched (labels, ``tv_tensors.Mask``, ``tv_tensors.BoundingBoxes``).
- ``build_transforms(train, size)`` returns a v2 transform for uint8 image tensors ``(C, H, W)`` whose output is a
  float32 ``(C, size, size)`` tensor with values in [0, 1]:
  ``train=True``: a random resized crop to ``size`` x ``size``, a random horizontal flip, the conversion to float
  in [0, 1], then ``AddGaussianNoise(0.02)``;
  ``train=False``: deterministic: resize the shorter side to ``size``, centre-crop ``size`` x ``size``, convert to
  float in [0, 1]. Nothing random.
  Both resize with antialiasing (v2's default for tensors), and both accept a whole sample too:
  ``transform(image, label)`` returns ``(new_image, label)``.
"""

from __future__ import annotations

from typing import Any

import torch
from torchvision import tv_tensors
from torchvision.transforms import v2
from torchvision.transforms.v2.functional import is_pure_tensor


class AddGaussianNoise(v2.Transform):
    # v2 calls transform() on every input of the sample whose type is listed in the class attribute
    # _transformed_types (inherited default: any torch.Tensor, masks and boxes included, and PIL images) and
    # passes the other inputs through. Decide which inputs should get noise.

    def __init__(self, std: float) -> None:
        super().__init__()
        self.std = std

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        raise NotImplementedError("05_data/augmentation: add std * torch.randn_like noise, clamp to [0, 1], "
                                  "keep a tv_tensors.Image an Image")


def build_transforms(train: bool, size: int) -> v2.Transform:
    raise NotImplementedError("05_data/augmentation: compose the train (random) or eval (deterministic) pipeline "
                              "with v2 transforms")
