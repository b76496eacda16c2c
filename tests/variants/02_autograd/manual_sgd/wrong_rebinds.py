"""Known-wrong: `p = p - lr * p.grad` rebinds the loop variable; the model's parameters never change."""

import torch


def sgd_step_(params, lr):
    with torch.no_grad():
        for p in params:
            if p.grad is not None:
                p = p - lr * p.grad
                p.grad = None


def legacy_to_modern(model, images):
    with torch.no_grad():
        return torch.softmax(model(images), dim=1)
