"""Known-wrong: keeps Variable(images, volatile=True) and .data: the forward pass still records a graph."""

import torch
from torch.autograd import Variable


def sgd_step_(params, lr):
    with torch.no_grad():
        for param in params:
            if param.grad is not None:
                param.add_(param.grad, alpha=-lr)
                param.grad = None


def legacy_to_modern(model, images):
    x = Variable(images, volatile=True)
    probs = torch.softmax(model(x), dim=1)
    return probs.data
