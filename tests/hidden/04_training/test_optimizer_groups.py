"""04_training/optimizer_groups, hidden: frozen layers, tied weights, other normalisation layers, nesting."""

import torch
from torch import nn

from helpers import assert_tensor_close, visible_tests

visible = visible_tests(__file__)


def test_frozen_parameters_are_left_out(ex):
    model = visible.make_net()
    model.conv.requires_grad_(False)
    model.bn.requires_grad_(False)
    decay, no_decay = visible.split_groups(model, ex.adamw_with_decay_groups(model, lr=0.01, weight_decay=0.1))
    assert set(decay) == visible.NET_DECAY - {"conv.weight"}, (
        f"conv is frozen: expected decay group {sorted(visible.NET_DECAY - {'conv.weight'})}, got {sorted(decay)} "
        "(skip parameters with requires_grad=False)")
    assert set(no_decay) == visible.NET_NO_DECAY - {"conv.bias", "bn.weight", "bn.bias"}, (
        f"conv and bn are frozen: got no-decay group {sorted(no_decay)}")


class TiedLanguageModel(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.embed = nn.Embedding(10, 6)
        self.blocks = nn.Sequential(
            nn.Sequential(nn.RMSNorm(6), nn.Linear(6, 6)),
            nn.Sequential(nn.GroupNorm(2, 6), nn.Conv1d(6, 6, 1)),
        )
        self.final_norm = nn.LayerNorm(6, bias=False)
        self.lm_head = nn.Linear(6, 10, bias=False)
        self.lm_head.weight = self.embed.weight  # weight tying: one Parameter, two modules


def test_tied_weights_and_other_norm_layers(ex):
    torch.manual_seed(0)
    model = TiedLanguageModel()
    opt = ex.adamw_with_decay_groups(model, lr=1e-3, weight_decay=0.05)
    decay, no_decay = visible.split_groups(model, opt, weight_decay=0.05)
    assert sorted(decay) == ["blocks.0.1.weight", "blocks.1.1.weight", "embed.weight"], (
        f"expected the decay group to hold the embedding (once, though lm_head shares it), the Linear and the Conv1d "
        f"weights; got {sorted(decay)}")
    assert sorted(no_decay) == sorted(["blocks.0.0.weight", "blocks.0.1.bias", "blocks.1.0.weight", "blocks.1.0.bias",
                                       "blocks.1.1.bias", "final_norm.weight"]), (
        f"expected RMSNorm, GroupNorm and LayerNorm parameters and all biases without decay; got {sorted(no_decay)}")


def test_decoupled_decay_over_several_steps(ex):
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(4, 4), nn.LayerNorm(4))
    opt = ex.adamw_with_decay_groups(model, lr=0.1, weight_decay=0.5)
    weight = model[0].weight.detach().clone()
    gain = model[1].weight.detach().clone()
    for _ in range(3):
        for p in model.parameters():
            p.grad = torch.zeros_like(p)
        opt.step()
    assert_tensor_close(model[0].weight, weight * (1 - 0.1 * 0.5) ** 3, atol=1e-7, rtol=1e-6,
                        what="Linear weight after 3 zero-gradient steps (lr 0.1, weight_decay 0.5)",
                        hint="decoupled decay multiplies by (1 - lr * weight_decay) each step: use AdamW")
    assert_tensor_close(model[1].weight, gain, atol=0, rtol=0, what="LayerNorm gain after 3 zero-gradient steps",
                        hint="normalisation parameters belong to the weight_decay=0.0 group")


class MixedNet(nn.Module):
    """Norm layers of several kinds, a 2-D weight whose module name contains 'bias', and two parameters the
    contract lets go in either group (PReLU's 1-D weight, a LayerNorm over a 2-D shape)."""

    def __init__(self) -> None:
        super().__init__()
        self.bn = nn.BatchNorm1d(4)
        self.inorm = nn.InstanceNorm1d(4, affine=True)
        self.gn = nn.GroupNorm(2, 4)
        self.bias_proj = nn.Linear(4, 4, bias=False)
        self.act = nn.PReLU(4)
        self.ln2d = nn.LayerNorm((2, 4))
        self.frozen = nn.Linear(4, 4)
        self.frozen.requires_grad_(False)


MIXED_DECAY = {"bias_proj.weight"}
MIXED_NO_DECAY = {"bn.weight", "bn.bias", "inorm.weight", "inorm.bias", "gn.weight", "gn.bias"}
MIXED_EITHER = {"act.weight", "ln2d.weight", "ln2d.bias"}


def test_other_norm_layers_and_names_that_only_look_like_biases(ex):
    torch.manual_seed(2)
    model = MixedNet()
    decay, no_decay = visible.split_groups(model, ex.adamw_with_decay_groups(model, lr=0.01, weight_decay=0.2),
                                           weight_decay=0.2)
    listed = decay + no_decay
    assert sorted(listed) == sorted(MIXED_DECAY | MIXED_NO_DECAY | MIXED_EITHER), (
        f"expected every trainable parameter exactly once (the frozen Linear left out), got {sorted(listed)}")
    assert set(decay) - MIXED_EITHER == MIXED_DECAY, (
        f"expected bias_proj.weight (a 2-D weight: its module's name only contains 'bias') in the decay group, and no "
        f"bias or norm parameter; decay group without the open cases: {sorted(set(decay) - MIXED_EITHER)}")
    assert set(no_decay) - MIXED_EITHER == MIXED_NO_DECAY, (
        f"expected the BatchNorm1d, InstanceNorm1d (affine) and GroupNorm parameters without decay; no-decay group "
        f"without the open cases: {sorted(set(no_decay) - MIXED_EITHER)}")


def test_a_bare_linear_layer_as_the_model(ex):
    torch.manual_seed(3)
    model = nn.Linear(3, 2)
    decay, no_decay = visible.split_groups(model, ex.adamw_with_decay_groups(model, lr=0.01, weight_decay=0.3),
                                           weight_decay=0.3)
    assert (decay, no_decay) == (["weight"], ["bias"]), (
        f"a bare nn.Linear: expected 'weight' decayed and 'bias' not, got decay {decay}, no decay {no_decay} (at the "
        "top level a bias is named 'bias', without a leading '.')")
