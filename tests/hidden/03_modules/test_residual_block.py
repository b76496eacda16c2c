"""03_modules/residual_block, hidden: other shapes and strides, every gradient, projection shortcut, input intact."""

import pytest
import torch

from helpers import assert_shape, assert_tensor_close, randn, visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("in_ch,out_ch,stride,size", [(3, 5, 2, 7), (16, 8, 2, 6), (4, 4, 1, 3), (6, 6, 3, 9)])
def test_other_configurations_match_torchvision(ex, in_ch, out_ch, stride, size):
    block, reference = visible.load_block(ex, in_ch, out_ch, stride, seed=10 + size)
    x = randn(3, in_ch, size, size, seed=11 + size)
    name = visible.describe(in_ch, out_ch, stride)
    for mode in ("train", "eval"):
        block.train(mode == "train")
        reference.train(mode == "train")
        expected = reference(x)
        out = visible.run(block, x, name)
        assert_tensor_close(out, expected, atol=1e-5, rtol=1e-5, what=f"{mode}-mode output of {name}")
    side = -(-size // stride)
    assert_shape(out, (3, out_ch, side, side), f"output of {name} on {size}x{size}")


@pytest.mark.parametrize("in_ch,out_ch,stride", visible.CONFIGS)
def test_every_gradient_matches_torchvision(ex, device, in_ch, out_ch, stride):
    block, reference = visible.load_block(ex, in_ch, out_ch, stride, seed=20)
    block.to(device).train()
    reference.to(device).train()
    x = randn(4, in_ch, 6, 6, seed=21, device=device).requires_grad_()
    x_ref = x.detach().clone().requires_grad_()
    upstream = randn(4, out_ch, -(-6 // stride), -(-6 // stride), seed=22, device=device)
    (visible.run(block, x, visible.describe(in_ch, out_ch, stride)) * upstream).sum().backward()
    (reference(x_ref) * upstream).sum().backward()
    assert_tensor_close(x.grad, x_ref.grad, atol=1e-5, rtol=1e-4, what="input gradient")
    ours = dict(block.named_parameters())
    for name, param in reference.named_parameters():
        assert ours[name].grad is not None, f"{name}.grad is None: that layer is not used in forward"
        assert_tensor_close(ours[name].grad, param.grad, atol=1e-5, rtol=1e-4, what=f"{name}.grad")


def test_gradient_flows_through_the_projection(ex):
    block, reference = visible.load_block(ex, 8, 16, 2, seed=30)
    with torch.no_grad():  # only the projection shortcut is left
        for model in (block, reference):
            model.bn2.weight.zero_()
            model.bn2.bias.zero_()
    block.eval()
    reference.eval()
    x = randn(2, 8, 6, 6, seed=31)
    block(x).sum().backward()
    reference(x).sum().backward()
    for name in ("downsample.0.weight", "downsample.1.weight", "downsample.1.bias"):
        ours = block.get_parameter(name).grad
        theirs = reference.get_parameter(name).grad
        assert ours is not None and ours.abs().sum() > 0, f"{name} receives no gradient: is the projection used?"
        assert_tensor_close(ours, theirs, atol=1e-5, rtol=1e-4, what=f"{name}.grad")


def test_input_is_not_modified(ex):
    for in_ch, out_ch, stride in visible.CONFIGS:
        block, reference = visible.load_block(ex, in_ch, out_ch, stride, seed=41)
        block.eval()
        reference.eval()
        name = visible.describe(in_ch, out_ch, stride)
        x = randn(2, in_ch, 5, 5, seed=40)
        before = x.clone()
        with torch.no_grad():
            expected = reference(before.clone())
            out = visible.run(block, x, name)
        assert torch.equal(x, before), (
            f"{name} changed its input in place; an in-place ReLU or `+=` "
            "must only touch tensors the block created, never x")
        assert_tensor_close(out, expected, atol=1e-5, rtol=1e-5, what=f"eval-mode output of {name}",
                            hint="forward must return relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))")


def test_identity_block_in_train_mode_with_silenced_branch(ex):
    block = ex.ResidualBlock(4, 4)
    with torch.no_grad():
        block.bn2.weight.zero_()
        block.bn2.bias.zero_()
    x = randn(3, 4, 4, 4, seed=50)
    assert_tensor_close(block.train()(x), torch.relu(x), atol=0, rtol=0, what="train-mode output, branch silenced",
                        hint="the identity shortcut adds x unchanged; the final ReLU follows the addition")


def test_blocks_stack_into_a_small_network(ex):
    torch.manual_seed(60)
    net = torch.nn.Sequential(ex.ResidualBlock(3, 8, 2), ex.ResidualBlock(8, 8), ex.ResidualBlock(8, 16, 2))
    out = net(randn(2, 3, 16, 16, seed=61))
    assert_shape(out, (2, 16, 4, 4), "output of three stacked blocks")
    out.mean().backward()
    missing = [name for name, p in net.named_parameters() if p.grad is None]
    assert not missing, f"parameters without a gradient after backward: {missing}"
