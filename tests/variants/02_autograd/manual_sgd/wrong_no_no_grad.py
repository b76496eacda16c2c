"""Known-wrong: updates the leaf parameters in place with autograd still recording (raises)."""

import torch


def sgd_step_(params, lr):
    for param in params:
        if param.grad is not None:
            param.sub_(lr * param.grad)
            param.grad = None


def legacy_to_modern(model, images):
    with torch.no_grad():
        return torch.softmax(model(images), dim=1)
