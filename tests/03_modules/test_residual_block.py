"""03_modules/residual_block: the ResNet basic block, checked against torchvision's BasicBlock."""

import pytest
import torch
from torch import nn
from torchvision.models.resnet import BasicBlock

from helpers import assert_shape, assert_tensor_close, randn

# (in_ch, out_ch, stride): identity shortcut, projection for channels and stride, projection for channels only
CONFIGS = [(8, 8, 1), (8, 16, 2), (8, 16, 1)]


def randomise_batchnorm(module: nn.Module, seed: int) -> None:
    """Affine parameters and running statistics far from their defaults, so every BatchNorm shows up."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5, generator=generator)
                m.bias.uniform_(-0.5, 0.5, generator=generator)
                m.running_mean.uniform_(-0.5, 0.5, generator=generator)
                m.running_var.uniform_(0.5, 2.0, generator=generator)


def torchvision_block(in_ch: int, out_ch: int, stride: int, seed: int = 0) -> BasicBlock:
    """torchvision's BasicBlock with the downsample that ResNet._make_layer would give it."""
    torch.manual_seed(seed)
    downsample = None
    if stride != 1 or in_ch != out_ch:
        downsample = nn.Sequential(nn.Conv2d(in_ch, out_ch, kernel_size=1, stride=stride, bias=False),
                                   nn.BatchNorm2d(out_ch))
    block = BasicBlock(in_ch, out_ch, stride, downsample)
    randomise_batchnorm(block, seed)
    return block


def describe(in_ch: int, out_ch: int, stride: int) -> str:
    return f"ResidualBlock({in_ch}, {out_ch}, stride={stride})"


def check_keys(block: nn.Module, reference: nn.Module, name: str) -> None:
    keys, expected = set(block.state_dict()), set(reference.state_dict())
    missing, unexpected = sorted(expected - keys), sorted(keys - expected)
    if not missing and not unexpected:
        return
    if any(k.startswith("downsample.1.") for k in missing) and any(k.startswith("downsample") for k in keys):
        hint = "the projection needs a BatchNorm2d after its 1x1 conv: downsample = Sequential(conv1x1, BatchNorm2d)"
    elif any(k.startswith("downsample") for k in missing):
        hint = "when the stride or the channel count changes the shortcut must project x (self.downsample)"
    elif any(k.startswith("downsample") for k in unexpected) and not any(k.startswith("downsample") for k in expected):
        hint = "when shapes already match the shortcut is the identity, with no parameters"
    else:
        hint = "use the attribute names conv1, bn1, conv2, bn2, downsample, as torchvision's BasicBlock does"
    raise AssertionError(f"{name}: state_dict keys differ from torchvision's BasicBlock: missing {missing}, "
                         f"unexpected {unexpected}\n  likely cause: {hint}")


def load_block(ex, in_ch: int, out_ch: int, stride: int, seed: int = 0):
    """(our block, torchvision's block) holding the same weights and BatchNorm state."""
    reference = torchvision_block(in_ch, out_ch, stride, seed)
    block = ex.ResidualBlock(in_ch, out_ch, stride)
    check_keys(block, reference, describe(in_ch, out_ch, stride))
    try:
        block.load_state_dict(reference.state_dict())
    except RuntimeError as err:
        raise AssertionError(f"{describe(in_ch, out_ch, stride)}: torchvision's BasicBlock weights do not load: "
                             f"{err}\n  likely cause: a convolution with the wrong kernel size or channel count")
    return block, reference


def run(block: nn.Module, x: torch.Tensor, name: str) -> torch.Tensor:
    try:
        return block(x)
    except RuntimeError as err:
        raise AssertionError(f"{name} failed on an input of shape {tuple(x.shape)}: {err}\n  likely cause: the "
                             "shortcut does not bring x to the residual branch's shape (a projection is needed "
                             "whenever the stride or the channel count changes)") from None


@pytest.mark.parametrize("in_ch,out_ch,stride,expected", [
    (8, 8, 1, (2, 8, 8, 8)),
    (8, 16, 1, (2, 16, 8, 8)),
    (8, 16, 2, (2, 16, 4, 4)),
    (8, 8, 2, (2, 8, 4, 4)),
])
def test_output_shapes(ex, in_ch, out_ch, stride, expected):
    block = ex.ResidualBlock(in_ch, out_ch, stride)
    out = run(block, randn(2, in_ch, 8, 8, seed=1), describe(in_ch, out_ch, stride))
    assert_shape(out, expected, f"output of {describe(in_ch, out_ch, stride)}",
                 hint="conv1 carries the stride, and the shortcut must produce the same shape")


def test_identity_shortcut_has_no_parameters(ex):
    block = ex.ResidualBlock(8, 8)
    assert block.downsample is None, (
        f"ResidualBlock(8, 8): expected self.downsample to be None (torchvision's BasicBlock tests "
        f"`downsample is not None`), got {type(block.downsample).__name__}; likely cause: an nn.Identity() (or an "
        "empty Sequential) stored as the shortcut instead of None")
    expected = 2 * (8 * 8 * 3 * 3) + 2 * (2 * 8)  # two bias-free 3x3 convs, two BatchNorms
    count = sum(p.numel() for p in block.parameters())
    assert count == expected, (
        f"ResidualBlock(8, 8) should have {expected} parameters (two bias-free 3x3 convs and two BatchNorms), "
        f"got {count}; likely cause: a projection on a shortcut whose shapes already match, or convs with bias")
    with torch.no_grad():  # silence the residual branch: what is left is relu(shortcut(x))
        block.bn2.weight.zero_()
        block.bn2.bias.zero_()
    block.eval()
    x = randn(2, 8, 5, 5, seed=2)
    assert_tensor_close(block(x), torch.relu(x), atol=0, rtol=0, what="output with the residual branch zeroed",
                        hint="the identity shortcut must add x itself, and the final ReLU comes after the addition")


@pytest.mark.parametrize("in_ch,out_ch,stride", CONFIGS)
def test_state_dict_keys_match_torchvision(ex, in_ch, out_ch, stride):
    check_keys(ex.ResidualBlock(in_ch, out_ch, stride), torchvision_block(in_ch, out_ch, stride),
               describe(in_ch, out_ch, stride))


@pytest.mark.parametrize("in_ch,out_ch,stride", CONFIGS)
def test_matches_torchvision_in_eval_mode(ex, device, in_ch, out_ch, stride):
    block, reference = load_block(ex, in_ch, out_ch, stride, seed=3)
    block.to(device).eval()
    reference.to(device).eval()
    x = randn(2, in_ch, 8, 8, seed=4, device=device)
    with torch.no_grad():
        expected = reference(x)
        out = run(block, x, describe(in_ch, out_ch, stride))
    assert_tensor_close(out, expected, atol=1e-5, rtol=1e-5,
                        what=f"eval-mode output of {describe(in_ch, out_ch, stride)}",
                        hint="the stride belongs on conv1, the final ReLU after the addition")


@pytest.mark.parametrize("in_ch,out_ch,stride", CONFIGS)
def test_matches_torchvision_in_train_mode(ex, device, in_ch, out_ch, stride):
    block, reference = load_block(ex, in_ch, out_ch, stride, seed=5)
    block.to(device).train()
    reference.to(device).train()
    x = randn(4, in_ch, 6, 6, seed=6, device=device)
    expected = reference(x)
    out = run(block, x, describe(in_ch, out_ch, stride))
    assert_tensor_close(out, expected, atol=1e-5, rtol=1e-5,
                        what=f"train-mode output of {describe(in_ch, out_ch, stride)}",
                        hint="the stride belongs on conv1, the final ReLU after the addition")
    ours = block.state_dict()
    for name, buffer in reference.state_dict().items():
        assert_tensor_close(ours[name], buffer, atol=1e-5, rtol=1e-5, what=f"{name} after one training forward",
                            hint="every BatchNorm must see the same input as torchvision's")


def test_gradient_flows_through_the_shortcut(ex, device):
    block = ex.ResidualBlock(8, 8).to(device).eval()
    with torch.no_grad():  # residual branch outputs exactly 0 and passes no gradient back
        block.bn2.weight.zero_()
        block.bn2.bias.zero_()
    x = randn(2, 8, 4, 4, seed=7, device=device).requires_grad_()
    block(x).sum().backward()
    assert x.grad is not None, "x.grad is None: the output does not depend on the input"
    assert_tensor_close(x.grad, (x.detach() > 0).to(x.dtype), atol=0, rtol=0,
                        what="input gradient through the identity shortcut",
                        hint="out = relu(residual + x): the shortcut passes the gradient of relu straight to x")
