"""Known-wrong: updates in one loop and clears in a second, which a model.parameters() generator never reaches."""

import torch


def sgd_step_(params, lr):
    with torch.no_grad():
        for param in params:
            if param.grad is not None:
                param.add_(param.grad, alpha=-lr)
        for param in params:
            param.grad = None


def legacy_to_modern(model, images):
    with torch.no_grad():
        return torch.softmax(model(images), dim=1)
