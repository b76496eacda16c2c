"""Known-wrong: uses autograd.grad but switches requires_grad on in the caller's own tensor."""

import torch


def derivative(f, x):
    x.requires_grad_(True)
    with torch.enable_grad():
        (grad,) = torch.autograd.grad(f(x), x)
    return grad


def jacobian_vector_product(f, x, v):
    _, tangent = torch.func.jvp(f, (x.detach(),), (v.detach(),))
    return tangent.detach()
