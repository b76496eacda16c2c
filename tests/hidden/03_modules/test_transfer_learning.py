"""03_modules/transfer_learning, hidden: other head sizes, key edge cases, tied weights, optimizer steps."""

import pytest
import torch
from torch import nn

from helpers import randn, visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("num_classes", [1, 3, 100])
def test_other_head_sizes(ex, num_classes):
    model = visible.build_meta(ex, num_classes, freeze=True)
    assert (model.fc.in_features, model.fc.out_features) == (512, num_classes), f"model.fc is {model.fc}"
    assert visible.trainable(model) == ["fc.weight", "fc.bias"], "only the head should train when frozen"


def test_default_is_frozen(ex):
    with torch.device("meta"):  # names and flags only: nothing is allocated
        model = ex.build_finetune_model(5)
    assert visible.trainable(model) == ["fc.weight", "fc.bias"], "freeze defaults to True"


def test_unknown_key_raises(ex):
    model = visible.build_meta(ex, 10, freeze=False)
    visible.expect_value_error(lambda: ex.discriminative_param_groups(model, {"": 1e-4, "layer5": 1e-3}),
                               "resnet18 has no 'layer5': a misspelt key must not be ignored silently")


def test_most_specific_key_wins(ex):
    model = visible.build_meta(ex, 10, freeze=False)
    lrs = {"": 1e-5, "layer4": 1e-3, "layer4.1": 1e-2, "layer4.1.bn2": 1e-1}
    groups = visible.groups_for(ex, model, lrs)
    visible.check_partition(model, groups, lrs)
    sizes = {g["name"]: len(g["params"]) for g in groups}
    assert sizes.get("layer4.1.bn2") == 2 and sizes.get("layer4.1") == 4, f"group sizes {sizes}"


def test_key_matches_whole_name_components(ex):
    model = nn.ModuleDict({"enc": nn.Linear(2, 2), "enc2": nn.Linear(2, 2)})
    lrs = {"": 0.5, "enc": 0.1}
    groups = visible.groups_for(ex, model, lrs)
    visible.check_partition(model, groups, lrs)
    enc = [g for g in groups if g.get("name") == "enc"]
    assert len(enc) == 1 and len(enc[0]["params"]) == 2, (
        "'enc' must not claim 'enc2.weight': the key has to match up to a '.'")


def test_tied_parameter_lands_once(ex):
    embed, head = nn.Embedding(5, 4), nn.Linear(4, 5, bias=False)
    head.weight = embed.weight  # tied weights: one Parameter registered in two modules
    model = nn.Sequential(embed, head)
    groups = visible.groups_for(ex, model, {"0": 0.1, "1": 0.2})
    total = [id(p) for g in groups for p in g["params"]]
    assert len(total) == len(set(total)) == 1, (
        f"the tied weight is one parameter and must appear once in all groups, found {len(total)} entries; "
        "model.named_parameters() yields it once")
    torch.optim.SGD(groups, lr=1.0)


def test_group_learning_rates_drive_sgd(ex):
    torch.manual_seed(3)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 1)))
    lrs = {"": 0.01, "2": 0.1, "2.1": 1.0}
    groups = visible.groups_for(ex, model, lrs)
    visible.check_partition(model, groups, lrs)
    optimizer = torch.optim.SGD(groups, lr=123.0)
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    model(randn(5, 3, seed=4)).sum().backward()
    grads = {name: p.grad.clone() for name, p in model.named_parameters()}
    optimizer.step()
    for name, p in model.named_parameters():
        lr = lrs[visible.expected_owner(name, lrs)]
        torch.testing.assert_close(p.detach(), before[name] - lr * grads[name], atol=1e-6, rtol=1e-6)


def test_params_follow_model_order(ex):
    model = visible.build_meta(ex, 10, freeze=False)
    groups = visible.groups_for(ex, model, {"": 1e-4})
    order = [name for name, _ in model.named_parameters()]
    names = {id(p): name for name, p in model.named_parameters()}
    assert [names[id(p)] for p in groups[0]["params"]] == order, "parameters should follow named_parameters() order"


def test_frozen_model_with_several_keys(ex):
    model = visible.build_meta(ex, 4, freeze=True)
    lrs = {"": 1e-5, "layer4": 1e-3, "fc": 1e-2}
    groups = visible.groups_for(ex, model, lrs)
    visible.check_partition(model, groups, lrs)
    assert [g["name"] for g in groups] == ["fc"], "keys left without trainable parameters get no group"


def test_groups_follow_the_order_of_lrs_not_of_the_model(ex):
    model = visible.build_meta(ex, 10, freeze=False)
    lrs = {"fc": 1e-2, "layer4": 1e-3, "": 1e-5, "conv1": 1e-6}  # the reverse of the model's own order
    groups = visible.groups_for(ex, model, lrs)
    names = [g.get("name") for g in groups]
    assert names == list(lrs), (
        f"expected the groups in the order of lrs, {list(lrs)}, got {names}; likely cause: groups created in the "
        "order their first parameter appears in the model")
    visible.check_partition(model, groups, lrs)
