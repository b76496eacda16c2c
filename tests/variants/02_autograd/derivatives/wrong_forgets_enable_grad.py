"""Known-wrong: correct until the caller is inside torch.no_grad(), where f(x) records no graph."""

import torch


def derivative(f, x):
    point = x.detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(f(point), point)
    return grad


def jacobian_vector_product(f, x, v):
    point = x.detach().requires_grad_(True)
    out = f(point)
    # double-backward trick: J @ v = d/du (u @ J) @ v
    u = torch.zeros_like(out, requires_grad=True)
    (vjp,) = torch.autograd.grad(out, point, grad_outputs=u, create_graph=True)
    (jvp,) = torch.autograd.grad(vjp, u, grad_outputs=v)
    return jvp.detach()
