"""03_modules/transfer_learning: a frozen ResNet-18 backbone with a new head, and per-module learning rates."""

import copy

import torch
import torchvision
from torch import nn

from helpers import assert_shape, randn

# Building resnet18 for real takes a noticeable fraction of a second. Tests that run the network build it once
# per (exercise, num_classes, freeze) and get their own deep copy; tests that only look at names, shapes and
# requires_grad flags build it on the "meta" device, which allocates and initialises nothing.
_BUILT: dict = {}


def build(ex, num_classes: int = 10, freeze: bool = True) -> nn.Module:
    key = (ex, num_classes, freeze)
    if key not in _BUILT:
        torch.manual_seed(0)
        _BUILT[key] = ex.build_finetune_model(num_classes, freeze=freeze)
    return copy.deepcopy(_BUILT[key])


def build_meta(ex, num_classes: int = 10, freeze: bool = True) -> nn.Module:
    with torch.device("meta"):
        return ex.build_finetune_model(num_classes, freeze=freeze)


def trainable(model: nn.Module) -> list[str]:
    return [name for name, p in model.named_parameters() if p.requires_grad]


def expected_owner(name: str, lrs: dict[str, float]) -> str | None:
    owners = [key for key in lrs if key == "" or name.startswith(key + ".")]
    return max(owners, key=len) if owners else None


def groups_for(ex, model: nn.Module, lrs: dict[str, float]) -> list[dict]:
    groups = ex.discriminative_param_groups(model, dict(lrs))
    assert isinstance(groups, list) and all(isinstance(g, dict) for g in groups), (
        f"expected a list of dicts (optimizer param groups), got {type(groups).__name__}")
    return groups


def check_partition(model: nn.Module, groups: list[dict], lrs: dict[str, float]) -> None:
    """Each trainable parameter in exactly one group, with the learning rate of its most specific key."""
    params = dict(model.named_parameters())
    names = {id(p): name for name, p in params.items()}
    seen: dict[int, str] = {}
    for group in groups:
        assert "params" in group and "lr" in group, f"each group needs 'params' and 'lr' keys, got {sorted(group)}"
        for p in group["params"]:
            assert id(p) in names, f"group '{group.get('name')}' holds a tensor that is not a parameter of the model"
            assert id(p) not in seen, (
                f"{names[id(p)]} is in two groups ('{seen[id(p)]}' and '{group.get('name')}'); torch.optim rejects "
                "that. Give each parameter only to its most specific key")
            seen[id(p)] = group.get("name")
    for group in groups:
        for p in group["params"]:
            name, frozen = names[id(p)], not p.requires_grad
            assert not frozen, f"{name} is frozen and should not be grouped (frozen parameters need no optimizer state)"
            owner = expected_owner(name, lrs)
            assert owner is not None and group["lr"] == lrs[owner], (
                f"{name} has lr {group['lr']}, expected {lrs.get(owner)} from key '{owner}' (the most specific "
                "module containing it; match whole name components: key + '.', not a substring)")
    missing = [name for name, p in params.items() if p.requires_grad and id(p) not in seen]
    assert not missing, f"trainable parameters in no group (they would never be updated): {missing[:5]}"


def expect_value_error(call, why: str) -> None:
    try:
        call()
    except ValueError:
        return
    raise AssertionError(f"expected a ValueError: {why}")


def test_resnet18_with_a_new_head(ex):
    model = build(ex, 10)
    assert isinstance(model, torchvision.models.ResNet), f"expected a torchvision ResNet, got {type(model).__name__}"
    assert sum(p.numel() for p in model.parameters()) == 11_176_512 + 512 * 10 + 10, (
        "expected resnet18's backbone plus a Linear(512, 10) head")
    assert isinstance(model.fc, nn.Linear) and (model.fc.in_features, model.fc.out_features) == (512, 10), (
        f"model.fc should be a new nn.Linear(512, 10), got {model.fc}")
    model.eval()
    with torch.no_grad():
        out = model(randn(1, 3, 32, 32, seed=1))
    assert_shape(out, (1, 10), "logits for one 32x32 image")


def test_frozen_backbone_and_trainable_head(ex):
    names = trainable(build_meta(ex, 10, freeze=True))
    assert names == ["fc.weight", "fc.bias"], (
        f"with freeze=True only the head should train; trainable parameters: {names[:6]}"
        + ("\n  likely cause: the model was frozen after replacing fc, which froze the new head too" if not names
           else "\n  likely cause: some backbone parameters were left trainable"))


def test_unfrozen_model_trains_everything(ex):
    model = build_meta(ex, 10, freeze=False)
    frozen = [name for name, p in model.named_parameters() if not p.requires_grad]
    assert not frozen, f"with freeze=False every parameter should train; frozen: {frozen[:5]}"
    assert model.fc.out_features == 10


def test_frozen_backward_reaches_only_the_head(ex):
    model = build(ex, 10, freeze=True).train()
    optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.1)
    before = model.layer1[0].conv1.weight.clone()
    loss = nn.functional.cross_entropy(model(randn(2, 3, 32, 32, seed=2)), torch.tensor([1, 7]))
    loss.backward()
    with_grad = [name for name, p in model.named_parameters() if p.grad is not None]
    assert with_grad == ["fc.weight", "fc.bias"], f"after backward, parameters with a gradient: {with_grad[:6]}"
    optimizer.step()
    assert torch.equal(model.layer1[0].conv1.weight, before), "a frozen backbone weight changed"


def test_groups_partition_the_parameters(ex):
    model = build_meta(ex, 10, freeze=False)
    lrs = {"": 1e-5, "layer3": 1e-4, "layer4": 1e-3, "fc": 1e-2}
    groups = groups_for(ex, model, lrs)
    check_partition(model, groups, lrs)
    assert [g.get("name") for g in groups] == list(lrs), (
        f"expected one group per key, in the order of lrs: {list(lrs)}, got {[g.get('name') for g in groups]}")
    torch.optim.SGD(groups, lr=0.1)  # raises if a parameter appeared twice


def test_conv1_does_not_claim_the_convs_inside_layer1(ex):
    model = build_meta(ex, 10, freeze=False)
    lrs = {"": 1e-3, "conv1": 1e-5}
    groups = groups_for(ex, model, lrs)
    check_partition(model, groups, lrs)
    conv1 = [g for g in groups if g.get("name") == "conv1"]
    assert len(conv1) == 1 and len(conv1[0]["params"]) == 1, (
        "the 'conv1' group should hold exactly the stem's conv1.weight; `key in name` also matches "
        "'layer1.0.conv1.weight'")


def test_uncovered_parameters_raise(ex):
    model = build_meta(ex, 10, freeze=False)
    expect_value_error(lambda: ex.discriminative_param_groups(model, {"layer4": 1e-3, "fc": 1e-2}),
                       "conv1, bn1 and layer1-3 are trainable but no key covers them; leaving them out of every "
                       "group would silently never train them")


def test_frozen_model_groups_only_the_head(ex):
    model = build_meta(ex, 10, freeze=True)
    lrs = {"": 1e-4, "fc": 1e-2}
    groups = groups_for(ex, model, lrs)
    check_partition(model, groups, lrs)
    assert [g.get("name") for g in groups] == ["fc"], (
        f"only the head is trainable, so only the 'fc' group remains; got groups {[g.get('name') for g in groups]}")
