"""Known-wrong: computes v @ J (what backward(gradient=v) gives) instead of J @ v."""

import torch


def derivative(f, x):
    point = x.detach().requires_grad_(True)
    with torch.enable_grad():
        (grad,) = torch.autograd.grad(f(point), point)
    return grad


def jacobian_vector_product(f, x, v):
    point = x.detach().requires_grad_(True)
    with torch.enable_grad():
        (product,) = torch.autograd.grad(f(point), point, grad_outputs=v)
    return product
