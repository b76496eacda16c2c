"""04_training/optimizer_groups: exact group membership, and weight decay that is AdamW's, not Adam's L2."""

import torch
from torch import nn

from helpers import assert_tensor_close, randn

LR, WD = 0.01, 0.1


class Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4, 8)
        self.norm = nn.LayerNorm(8)
        self.head = nn.Linear(8, 2, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.bn(self.conv(x)).relu().mean(dim=(2, 3))
        return self.head(self.norm(self.fc(x)))


NET_DECAY = {"conv.weight", "fc.weight", "head.weight"}
NET_NO_DECAY = {"conv.bias", "bn.weight", "bn.bias", "fc.bias", "norm.weight", "norm.bias"}


def make_net(seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return Net()


def split_groups(model: nn.Module, opt: torch.optim.Optimizer, weight_decay: float = WD):
    """Names of the parameters in the decay group and in the no-decay group, found by their weight_decay setting."""
    assert isinstance(opt, torch.optim.Optimizer), f"expected a torch.optim optimizer, got {type(opt).__name__}"
    names = {id(p): name for name, p in model.named_parameters()}
    decays = [group["weight_decay"] for group in opt.param_groups]
    assert len(opt.param_groups) == 2 and sorted(decays) == [0.0, weight_decay], (
        f"expected two parameter groups with weight_decay {weight_decay} and 0.0, got {len(opt.param_groups)} "
        f"group(s) with weight_decay {decays}")
    by_decay = {group["weight_decay"]: [names.get(id(p), "<not in model>") for p in group["params"]]
                for group in opt.param_groups}
    return by_decay[weight_decay], by_decay[0.0]


def test_groups_hold_exactly_the_right_parameters(ex):
    model = make_net()
    decay, no_decay = split_groups(model, ex.adamw_with_decay_groups(model, lr=LR, weight_decay=WD))
    assert set(decay) == NET_DECAY, (
        f"expected the decay group to hold {sorted(NET_DECAY)}, got {sorted(decay)}; biases and BatchNorm/LayerNorm "
        "parameters must not be decayed")
    assert set(no_decay) == NET_NO_DECAY, (
        f"expected the no-decay group to hold {sorted(NET_NO_DECAY)}, got {sorted(no_decay)}")
    assert len(decay) + len(no_decay) == len(NET_DECAY | NET_NO_DECAY), "a parameter appears more than once"


def test_every_group_uses_the_learning_rate(ex):
    model = make_net()
    opt = ex.adamw_with_decay_groups(model, lr=LR, weight_decay=WD)
    assert [group["lr"] for group in opt.param_groups] == [LR, LR], (
        f"expected lr {LR} in both groups, got {[group['lr'] for group in opt.param_groups]}")


def test_weight_decay_is_decoupled(ex):
    model = make_net()
    opt = ex.adamw_with_decay_groups(model, lr=LR, weight_decay=WD)
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    for p in model.parameters():
        p.grad = torch.zeros_like(p)  # no gradient signal at all: only the decay can move a parameter
    opt.step()
    for name, p in model.named_parameters():
        if name in NET_DECAY:
            assert_tensor_close(p, before[name] * (1 - LR * WD), atol=1e-7, rtol=1e-6, what=f"{name} after one step",
                                hint="AdamW shrinks decayed weights by (1 - lr * weight_decay) directly; "
                                     "Adam(weight_decay=...) adds the decay to the gradient, and Adam's "
                                     "normalisation then moves every weight by about lr: use torch.optim.AdamW")
        else:
            assert_tensor_close(p, before[name], atol=0, rtol=0, what=f"{name} after one step with zero gradient",
                                hint="no-decay parameters must not move without a gradient")


def test_a_real_step_matches_reference_adamw(ex):
    model, twin = make_net(1), make_net(1)
    opt = ex.adamw_with_decay_groups(model, lr=LR, weight_decay=WD)
    params = dict(twin.named_parameters())
    reference = torch.optim.AdamW([{"params": [params[n] for n in sorted(NET_DECAY)], "weight_decay": WD},
                                   {"params": [params[n] for n in sorted(NET_NO_DECAY)], "weight_decay": 0.0}], lr=LR)
    inputs = randn(2, 3, 5, 5, seed=2)
    for net, optimizer in ((model, opt), (twin, reference)):
        for _ in range(2):
            optimizer.zero_grad()
            net(inputs).pow(2).sum().backward()
            optimizer.step()
    for name, p in model.named_parameters():
        assert_tensor_close(p, params[name], atol=1e-6, rtol=1e-5, what=f"{name} after two steps",
                            hint="expected the same trajectory as torch.optim.AdamW with these two groups")
