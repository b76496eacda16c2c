"""03_modules/init_apply, hidden: 1-D and 3-D convs, BatchNorm1d, in-place init, float64, direct calls."""

import math

import pytest
import torch
from torch import nn

from helpers import visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("conv_type,in_ch,out_ch,kernel,fan_out", [
    (nn.Conv1d, 8, 64, 5, 64 * 5),
    (nn.Conv3d, 4, 16, 3, 16 * 27),
    (nn.Conv2d, 64, 8, 3, 8 * 9),  # fan_in (576) far from fan_out (72): catches mode='fan_in'
])
def test_other_convolutions(ex, conv_type, in_ch, out_ch, kernel, fan_out):
    conv = conv_type(in_ch, out_ch, kernel)
    model = visible.initialise(ex, nn.Sequential(conv), seed=10)
    visible.check_std(model[0].weight, math.sqrt(2 / fan_out), 0.08, f"{type(conv).__name__} weight",
                      "kaiming_normal_(weight, mode='fan_out', nonlinearity='relu') for every Conv1d/2d/3d")
    assert torch.equal(model[0].bias, torch.zeros_like(model[0].bias)), f"{type(conv).__name__} bias should be zero"


@pytest.mark.parametrize("in_features,out_features", [(512, 32), (100, 100)])
def test_other_linears(ex, in_features, out_features):
    linear = visible.initialise(ex, nn.Sequential(nn.Linear(in_features, out_features)), seed=11)[0]
    bound = math.sqrt(6 / (in_features + out_features))
    largest = linear.weight.abs().max().item()
    assert largest <= bound + 1e-6, f"Linear({in_features}, {out_features}) weight reaches {largest:.4f} > {bound:.4f}"
    visible.check_std(linear.weight, bound / math.sqrt(3), 0.06, f"Linear({in_features}, {out_features}) weight",
                      "xavier_uniform_")
    assert torch.equal(linear.bias, torch.zeros(out_features)), "Linear bias should be zero"


def test_batchnorm_1d_and_3d(ex):
    model = nn.Sequential(nn.BatchNorm1d(6), nn.BatchNorm3d(3), nn.BatchNorm1d(4, affine=False))
    with torch.no_grad():
        for bn in model[:2]:
            bn.weight.fill_(3.0)
            bn.bias.fill_(-2.0)
    visible.initialise(ex, model)
    for i in (0, 1):
        assert torch.equal(model[i].weight, torch.ones_like(model[i].weight)), f"{model[i]} weight should be 1"
        assert torch.equal(model[i].bias, torch.zeros_like(model[i].bias)), f"{model[i]} bias should be 0"


def test_initialises_in_place(ex):
    model = visible.make_model(12)
    identities = {name: id(p) for name, p in model.named_parameters()}
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    visible.initialise(ex, model)
    replaced = [name for name, p in model.named_parameters() if id(p) != identities[name]]
    assert not replaced, (
        f"init_weights replaced {replaced} with new Parameter objects; an optimizer built earlier still holds the "
        "old ones. Fill them in place with the nn.init functions")
    assert len(optimizer.param_groups[0]["params"]) == len(identities)
    visible.assert_initialised(model, "in place")


def test_float64_model_stays_float64(ex):
    model = visible.initialise(ex, visible.make_model(13).double())
    wrong = [name for name, p in model.named_parameters() if p.dtype != torch.float64]
    assert not wrong, f"after init these parameters are no longer float64: {wrong}"
    visible.assert_initialised(model, "float64 model")


def test_callable_directly_on_one_layer(ex):
    torch.manual_seed(14)
    layer = nn.Linear(300, 300, bias=False)
    ex.init_weights(layer)
    bound = math.sqrt(6 / 600)
    assert layer.weight.abs().max().item() <= bound + 1e-6 and layer.weight.std().item() > 0.9 * bound / math.sqrt(3)


def test_no_autograd_history(ex):
    model = visible.initialise(ex, visible.make_model(15))
    for name, p in model.named_parameters():
        assert p.is_leaf and p.grad_fn is None, f"{name} is no longer a leaf after init: initialise under no_grad"
    visible.assert_initialised(model, "after init")


def test_nested_custom_module(ex):
    class Block(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = nn.ModuleList([nn.Linear(64, 256), nn.Conv1d(2, 256, 3, bias=False)])

        def forward(self, x):
            return x

    model = visible.initialise(ex, nn.Sequential(Block(), Block()), seed=16)
    for block in model:
        linear, conv = block.inner
        assert torch.equal(linear.bias, torch.zeros(256)), "nested Linear bias should be zero"
        visible.check_std(conv.weight, math.sqrt(2 / (256 * 3)), 0.1, "nested Conv1d weight", "kaiming fan_out")


def test_batchnorm_buffers_are_left_alone(ex):
    bn = nn.BatchNorm2d(5)
    with torch.no_grad():
        bn.running_mean.uniform_(-1, 1)
        bn.running_var.uniform_(0.5, 2.0)
        bn.num_batches_tracked.fill_(7)
        bn.weight.fill_(2.0)
        bn.bias.fill_(0.5)
    before = {name: b.clone() for name, b in bn.named_buffers()}
    ex.init_weights(bn)
    for name, buffer in bn.named_buffers():
        assert torch.equal(buffer, before[name]), (
            f"BatchNorm2d {name}: expected it left as it was ({before[name].tolist()}), got {buffer.tolist()}\n"
            "  likely cause: bn.reset_parameters() (or reset_running_stats()) also resets the running statistics; "
            "set only weight to 1 and bias to 0")
    assert torch.equal(bn.weight, torch.ones(5)) and torch.equal(bn.bias, torch.zeros(5)), "BatchNorm weight 1, bias 0"


def test_look_alike_layers_are_left_alone(ex):
    torch.manual_seed(17)
    model = nn.Sequential(nn.ConvTranspose2d(4, 8, 3), nn.InstanceNorm2d(6, affine=True),
                          nn.ConvTranspose1d(3, 5, 2), nn.GroupNorm(2, 4), nn.Linear(3, 2))
    with torch.no_grad():
        for m in model[:4]:
            m.weight.uniform_(0.5, 1.5)
            m.bias.uniform_(-0.5, 0.5)
    before = {name: p.detach().clone() for name, p in model[:4].named_parameters()}
    visible.initialise(ex, model)
    changed = [name for name, p in model[:4].named_parameters() if not torch.equal(p, before[name])]
    assert not changed, (
        f"init_weights changed {changed} (ConvTranspose2d, InstanceNorm2d, ConvTranspose1d, GroupNorm); only "
        "nn.Linear, nn.Conv1d/2d/3d and nn.BatchNorm1d/2d/3d are listed\n  likely cause: matching the private base "
        "classes (_ConvNd, _NormBase, _BatchNorm) instead of the listed ones")
    visible.assert_initialised(model, "next to the look-alike layers")


def test_direct_call_on_a_container_leaves_its_children(ex):
    torch.manual_seed(18)
    model = nn.Sequential(nn.Linear(6, 4), nn.Conv1d(2, 3, 3), nn.BatchNorm1d(3))
    with torch.no_grad():
        model[2].weight.fill_(2.0)
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    ex.init_weights(model)
    changed = [name for name, p in model.named_parameters() if not torch.equal(p, before[name])]
    assert not changed, (
        f"init_weights(nn.Sequential(...)) changed its children's {changed}; it should handle only the module it is "
        "given (model.apply does the walking)\n  likely cause: a loop over module.modules() inside init_weights")
    ex.init_weights(model[0])
    assert torch.equal(model[0].bias, torch.zeros(4)), "init_weights(Linear) should zero that Linear's bias"


def test_subclasses_of_listed_layers_count(ex):
    class MyLinear(nn.Linear):
        pass

    class MyConv(nn.Conv2d):
        pass

    class MyNorm(nn.BatchNorm2d):
        pass

    torch.manual_seed(19)
    model = nn.Sequential(MyLinear(300, 100), MyConv(64, 8, 3), MyNorm(4))
    with torch.no_grad():
        model[2].weight.fill_(3.0)
        model[2].bias.fill_(-1.0)
    visible.initialise(ex, model)
    hint = "match with isinstance(module, nn.Linear), not type(module) is nn.Linear"
    bound = math.sqrt(6 / 400)
    assert model[0].weight.abs().max().item() <= bound + 1e-6, f"subclass of nn.Linear: not Xavier-uniform; {hint}"
    visible.check_std(model[0].weight, bound / math.sqrt(3), 0.06, "subclass of nn.Linear weight", hint)
    visible.check_std(model[1].weight, math.sqrt(2 / (8 * 9)), 0.08, "subclass of nn.Conv2d weight", hint)
    visible.assert_initialised(model, "subclasses of the listed layers")
