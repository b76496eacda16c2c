"""Known-wrong: marks the caller's x, calls backward() and returns x.grad, which accumulates across calls."""

import torch


def derivative(f, x):
    x.requires_grad_(True)
    f(x).backward()
    return x.grad


def jacobian_vector_product(f, x, v):
    _, tangent = torch.func.jvp(f, (x.detach(),), (v.detach(),))
    return tangent.detach()
