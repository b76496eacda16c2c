"""02_autograd/checkpointing: same numbers as the plain MLP, blocks recomputed in backward, a smaller graph."""

import pytest
import torch
from torch import nn

from helpers import assert_tensor_close, assert_tensor_equal, randn

DIM, DEPTH, OUT = 8, 3, 4


def make_pair(ex, dim: int = DIM, depth: int = DEPTH, out: int = OUT, dropout: float = 0.0, seed: int = 0,
              device: torch.device | str = "cpu") -> tuple[nn.Module, nn.Module]:
    """A PlainMLP and a CheckpointedMLP holding the same weights."""
    torch.manual_seed(seed)
    plain = ex.PlainMLP(dim, depth, out, dropout)
    checkpointed = ex.CheckpointedMLP(dim, depth, out, dropout)
    checkpointed.load_state_dict(plain.state_dict())
    return plain.to(device), checkpointed.to(device)


def outputs_and_grads(model: nn.Module, x: torch.Tensor, rng_seed: int = 1) -> tuple[torch.Tensor, dict]:
    torch.manual_seed(rng_seed)  # same dropout masks for both models
    out = model(x)
    out.pow(2).mean().backward()
    return out.detach(), {name: param.grad for name, param in model.named_parameters()}


def count_block_forwards(model: nn.Module) -> list[int]:
    """Forward calls per block. Pre-hooks, because a recomputation may stop early, before a block's output."""
    counts = [0] * len(model.blocks)
    for index, block in enumerate(model.blocks):
        block.register_forward_pre_hook(lambda module, args, index=index: counts.__setitem__(index, counts[index] + 1))
    return counts


def saved_activation_bytes(model: nn.Module, x: torch.Tensor) -> int:
    """Bytes of the tensors the autograd graph keeps for backward (parameters excluded)."""
    parameters = {param.data_ptr() for param in model.parameters()}
    total = 0

    def pack(tensor: torch.Tensor) -> torch.Tensor:
        nonlocal total
        if tensor.data_ptr() not in parameters:
            total += tensor.numel() * tensor.element_size()
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        out = model(x)
    out.sum().backward()
    return total


def assert_same_grads(grads: dict, expected: dict, what: str, hint: str, tol: float = 1e-6) -> None:
    for name, grad in grads.items():
        missing = grad is None
        assert not missing, (f"{name}.grad is None {what}; likely cause: {hint}")
        assert_tensor_close(grad, expected[name], atol=tol, rtol=tol, what=f"{name}.grad {what}", hint=hint)


def test_same_outputs_and_gradients_as_the_plain_mlp(ex, device):
    plain, checkpointed = make_pair(ex, device=device)
    x = randn(5, DIM, seed=2, device=device)  # data: requires_grad=False
    x_before = x.clone()
    expected_out, expected_grads = outputs_and_grads(plain, x)
    out, grads = outputs_and_grads(checkpointed, x)
    assert not x.requires_grad and x.grad is None, (
        f"the caller's input came back with requires_grad={x.requires_grad} and "
        f".grad {'set' if x.grad is not None else 'None'}; expected requires_grad=False and .grad None; likely "
        "cause: x.requires_grad_() on the input (a reentrant-era workaround the non-reentrant checkpoint does not "
        "need)")
    assert_tensor_equal(x, x_before, what="the caller's input after forward and backward",
                        hint="the forward changed its input in place")
    assert_tensor_close(out, expected_out, atol=1e-6, rtol=1e-6, what="CheckpointedMLP output",
                        hint="run every block, in order, then the head")
    assert_same_grads(grads, expected_grads, "for an input that does not require grad",
                      hint="the reentrant checkpoint (use_reentrant=True, the old default) gives no parameter "
                           "gradients when no input requires grad: pass use_reentrant=False")


def test_every_block_runs_forward_again_during_backward(ex, device):
    _, checkpointed = make_pair(ex, device=device)
    counts = count_block_forwards(checkpointed)
    out = checkpointed(randn(5, DIM, seed=3, device=device))
    assert counts == [1] * DEPTH, (
        f"expected each block to run once in the forward pass, got {counts}; call each block as a module "
        "(checkpoint(block, x, ...)), not block.forward, so that its hooks fire")
    out.sum().backward()
    assert counts == [2] * DEPTH, (
        f"expected each block to run twice after backward (once more to recompute its activations), got {counts}; "
        "a block that ran once was not checkpointed (checkpoint_sequential leaves the last segment plain, and "
        "calling block.forward directly bypasses hooks): wrap each block in checkpoint(block, x, use_reentrant=False)")


def test_the_graph_keeps_far_fewer_activations(ex):
    plain, checkpointed = make_pair(ex, dim=16, depth=4)
    x = randn(8, 16, seed=4)
    plain_bytes, checkpointed_bytes = saved_activation_bytes(plain, x), saved_activation_bytes(checkpointed, x)
    assert checkpointed_bytes < plain_bytes / 2, (
        f"the autograd graph of CheckpointedMLP kept {checkpointed_bytes} bytes of activations, the plain MLP "
        f"{plain_bytes}; with checkpointing only each block's input should be kept (about a quarter here)")



def reference_block(block: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """The documented block formula, built from functional ops on the block's own weights, without dropout."""
    h = torch.nn.functional.layer_norm(x, x.shape[-1:], block.norm.weight, block.norm.bias, block.norm.eps)
    h = torch.nn.functional.linear(h, block.fc1.weight, block.fc1.bias)
    h = torch.nn.functional.linear(torch.nn.functional.gelu(h), block.fc2.weight, block.fc2.bias)
    return x + h


def test_the_given_classes_keep_their_formula_and_defaults(ex):
    torch.manual_seed(20)
    models = [ex.PlainMLP(6, 2, 3), ex.CheckpointedMLP(6, 2, 3)]  # default dropout, training mode
    x = randn(4, 6, seed=21)
    block = ex.MLPBlock(6)
    assert_tensor_close(block(x), reference_block(block, x), atol=1e-6, rtol=1e-6,
                        what="MLPBlock(6) output in training mode with the default dropout",
                        hint="MLPBlock is given: keep x + dropout(fc2(gelu(fc1(norm(x))))) and the default dropout=0.0")
    for model in models:
        expected = x
        for block in model.blocks:
            expected = reference_block(block, expected)
        expected = model.head(expected)
        assert_tensor_close(model(x), expected, atol=1e-6, rtol=1e-6,
                            what=f"{type(model).__name__}(6, 2, 3) output in training mode with the default dropout",
                            hint="MLPBlock and PlainMLP are given: keep x + dropout(fc2(gelu(fc1(norm(x))))) and "
                                 "the default dropout=0.0")


@pytest.mark.cuda
def test_peak_memory_is_lower_on_cuda(ex):
    device = torch.device("cuda")
    plain, checkpointed = make_pair(ex, dim=1024, depth=8, out=10, device=device)
    x = torch.randn(2048, 1024, device=device)

    def peak_bytes(model: nn.Module) -> int:
        model.zero_grad(set_to_none=True)
        model(x).pow(2).mean().backward()  # warm-up: cuBLAS workspaces and gradient buffers exist from here on
        model.zero_grad(set_to_none=False)
        torch.cuda.synchronize(device)
        torch.cuda.reset_peak_memory_stats(device)
        baseline = torch.cuda.memory_allocated(device)
        model(x).pow(2).mean().backward()
        torch.cuda.synchronize(device)
        return torch.cuda.max_memory_allocated(device) - baseline

    plain_peak, checkpointed_peak = peak_bytes(plain), peak_bytes(checkpointed)
    assert checkpointed_peak < 0.6 * plain_peak, (
        f"peak memory of a training step: CheckpointedMLP {checkpointed_peak / 2**20:.1f} MiB, PlainMLP "
        f"{plain_peak / 2**20:.1f} MiB; checkpointing every block should cut activation memory well below 60%")
