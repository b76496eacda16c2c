"""Known-wrong: updates in place but never clears the gradients, so they accumulate across steps."""

import torch


def sgd_step_(params, lr):
    with torch.no_grad():
        for param in params:
            if param.grad is not None:
                param.add_(param.grad, alpha=-lr)


def legacy_to_modern(model, images):
    with torch.no_grad():
        return torch.softmax(model(images), dim=1)
