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
