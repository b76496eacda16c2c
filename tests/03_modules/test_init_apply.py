"""03_modules/init_apply: a per-type initialiser for model.apply that survives bias-free layers."""

import math

import torch
from torch import nn

from helpers import assert_tensor_close, assert_tensor_equal


def make_model(seed: int = 0) -> nn.Module:
    """Convs with and without bias, BatchNorms with and without affine, Linears, and layers to leave alone."""
    torch.manual_seed(seed)
    model = nn.ModuleDict({
        "features": nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32, affine=False), nn.ReLU(),
        ),
        "classifier": nn.Sequential(nn.Linear(32, 512), nn.ReLU(), nn.Linear(512, 10, bias=False)),
        "embed": nn.Embedding(20, 8),
        "norm": nn.LayerNorm(8),
        "rnn": nn.LSTM(8, 8),
    })
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():  # move everything away from its defaults so that a reset (or a stray change) shows
        for m in model.modules():
            if isinstance(m, (nn.BatchNorm2d, nn.LayerNorm)) and m.weight is not None:
                m.weight.uniform_(0.5, 1.5, generator=generator)
                m.bias.uniform_(-0.5, 0.5, generator=generator)
    return model


def initialise(ex, model: nn.Module, seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    try:
        model.apply(ex.init_weights)
    except AttributeError as err:
        raise AssertionError(
            f"model.apply(init_weights) raised AttributeError: {err}\n  likely cause: a layer built with "
            "bias=False has module.bias None (and BatchNorm(affine=False) has no weight): check before using them"
        ) from None
    return model


def check_std(values: torch.Tensor, expected: float, tolerance: float, what: str, hint: str) -> None:
    std = values.detach().std().item()
    assert abs(std - expected) <= tolerance * expected, (
        f"{what}: expected std {expected:.4f} (within {tolerance:.0%}), got {std:.4f}\n  likely cause: {hint}")


def assert_initialised(model: nn.Module, when: str) -> None:
    """The exact part of the spec on every layer that has it: Linear/Conv biases 0, affine BatchNorms 1 and 0."""
    hint = ("init_weights left this layer as it was: model.apply(init_weights) should zero every Linear/Conv bias "
            "and set every affine BatchNorm's weight to 1 and bias to 0")
    for name, module in model.named_modules():
        if isinstance(module, (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)) and module.bias is not None:
            assert_tensor_equal(module.bias, torch.zeros_like(module.bias), what=f"{when}: {name}.bias", hint=hint)
        elif isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)) and module.affine:
            assert_tensor_equal(module.weight, torch.ones_like(module.weight), what=f"{when}: {name}.weight",
                                hint=hint)
            assert_tensor_equal(module.bias, torch.zeros_like(module.bias), what=f"{when}: {name}.bias", hint=hint)


def test_apply_survives_bias_free_layers(ex):
    model = initialise(ex, make_model())
    assert model["classifier"][2].bias is None and model["features"][3].bias is None, (
        "init_weights must not create biases for layers built without one")
    # the bias-free layers still get their weights initialised (their defaults have a much smaller std)
    check_std(model["features"][3].weight, math.sqrt(2 / (32 * 3 * 3)), 0.07, "bias-free Conv2d(16, 32, 3) weight",
              "a layer with bias=False still needs kaiming_normal_(weight, mode='fan_out', nonlinearity='relu'); "
              "only the bias step is skipped")
    check_std(model["classifier"][2].weight, math.sqrt(2 / (512 + 10)), 0.05, "bias-free Linear(512, 10) weight",
              "a layer with bias=False still needs xavier_uniform_(weight); only the bias step is skipped")


def test_linear_weights_are_xavier_uniform(ex):
    linear = initialise(ex, make_model(1))["classifier"][0]  # Linear(32, 512)
    bound = math.sqrt(6 / (32 + 512))
    largest = linear.weight.abs().max().item()
    assert largest <= bound + 1e-6, (
        f"Linear(32, 512) weight: Xavier-uniform values lie within +-{bound:.4f}, found {largest:.4f}\n"
        "  likely cause: Kaiming (or normal) init on a Linear; use nn.init.xavier_uniform_")
    check_std(linear.weight, bound / math.sqrt(3), 0.05, "Linear(32, 512) weight",
              "nn.init.xavier_uniform_(module.weight) was not applied to this Linear")


def test_conv_weights_are_kaiming_normal_fan_out(ex):
    conv = initialise(ex, make_model(2))["features"][3]  # Conv2d(16, 32, 3): fan_in 144, fan_out 288
    check_std(conv.weight, math.sqrt(2 / (32 * 3 * 3)), 0.07, "Conv2d(16, 32, 3) weight",
              "kaiming_normal_ needs mode='fan_out' (fan_out = out_channels * kernel area) and nonlinearity='relu'")


def test_biases_are_zero(ex):
    model = initialise(ex, make_model(3))
    for name, module in model.named_modules():
        if isinstance(module, (nn.Linear, nn.Conv2d)) and module.bias is not None:
            assert_tensor_close(module.bias, torch.zeros_like(module.bias), atol=0, rtol=0, what=f"{name}.bias",
                                hint="zero the biases with nn.init.zeros_ (not 0.01)")


def test_batchnorm_starts_as_identity(ex):
    bn = initialise(ex, make_model(4))["features"][1]
    assert_tensor_close(bn.weight, torch.ones(16), atol=0, rtol=0, what="BatchNorm2d weight",
                        hint="handle nn.BatchNorm1d/2d/3d: weight 1, bias 0")
    assert_tensor_close(bn.bias, torch.zeros(16), atol=0, rtol=0, what="BatchNorm2d bias")


def test_other_modules_are_untouched(ex):
    model = make_model(5)
    before = {name: p.detach().clone() for name, p in model.named_parameters()
              if name.split(".")[0] in ("embed", "norm", "rnn")}
    initialise(ex, model)
    changed = [name for name, p in model.named_parameters() if name in before and not torch.equal(p, before[name])]
    assert not changed, (
        f"init_weights changed {changed}; only Linear, Conv and BatchNorm layers should be touched "
        "(a catch-all branch on `hasattr(module, 'weight')` reaches Embedding, LayerNorm and LSTM too)")
    assert_initialised(model, "next to the untouched layers")


def test_conv_weights_are_normal_not_uniform(ex):
    torch.manual_seed(6)
    conv = nn.Conv2d(64, 32, 3, bias=False)  # 18432 weights
    ex.init_weights(conv)
    std = conv.weight.detach().std().item()
    largest = conv.weight.detach().abs().max().item()
    # a uniform draw never leaves +-sqrt(3) std; 18432 normal draws reach well past 2.5 std
    assert largest > 2.5 * std, (
        f"Conv2d(64, 32, 3) weight: expected normally distributed values (the largest of 18432 beyond 2.5 std = "
        f"{2.5 * std:.4f}), got a largest |value| of {largest:.4f} ({largest / std:.2f} std)\n"
        "  likely cause: kaiming_uniform_ instead of kaiming_normal_ (same std, different distribution)")
