"""03_modules/replace_modules, hidden: factories containing old_type, subclasses, custom types, no matches."""

import torch
from torch import nn

from helpers import randn, visible_tests

visible = visible_tests(__file__)


def test_factory_result_is_not_searched_again(ex):
    model = visible.make_model()
    count = visible.replace(ex, model, nn.ReLU, lambda: nn.Sequential(nn.ReLU(), nn.Dropout(0.0)))
    assert count == 4, f"4 ReLUs were in the model; the new Sequentials' ReLUs must not be counted, got {count}"
    wrappers = [m for m in model.modules() if isinstance(m, nn.Sequential) and isinstance(m[-1], nn.Dropout)]
    assert len(wrappers) == 4, "each ReLU should have been replaced exactly once by the factory's module"


def test_subclasses_are_replaced_too(ex):
    class ClampedReLU(nn.ReLU):
        pass

    model = nn.Sequential(nn.Linear(2, 2), ClampedReLU(), nn.ReLU6())
    count = visible.replace(ex, model, nn.ReLU, nn.GELU)
    assert count == 1 and isinstance(model[1], nn.GELU), "an instance of a ReLU subclass is an instance of ReLU"
    assert isinstance(model[2], nn.ReLU6), "ReLU6 is not a ReLU subclass and must stay"


def test_nothing_to_replace(ex):
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh())
    assert visible.replace(ex, model, nn.ReLU, nn.GELU) == 0
    assert isinstance(model[1], nn.Tanh)


def test_root_is_never_replaced(ex):
    root = nn.ReLU()
    assert visible.replace(ex, root, nn.ReLU, nn.GELU) == 0, "the model itself has no parent to be replaced in"


def test_dropout_to_identity_for_inference(ex):
    torch.manual_seed(6)
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), visible.Block(nn.Dropout(0.3)), nn.Linear(8, 1))
    count = visible.replace(ex, model, nn.Dropout, nn.Identity)
    assert count == 2, f"expected 2 Dropout modules replaced, got {count}"
    x = randn(3, 4, seed=7)
    model.train()
    assert torch.equal(model(x), model(x)), "with every Dropout replaced by Identity, train-mode outputs are fixed"


def test_custom_module_type_and_everything_inside_it(ex):
    torch.manual_seed(8)
    shared = visible.Block()
    model = nn.Sequential(visible.Block(), shared, nn.ModuleList([shared, visible.Block()]))
    count = visible.replace(ex, model, visible.Block, lambda: nn.Linear(8, 8))
    assert count == 3, f"three distinct Blocks (one of them registered twice) were replaced; got {count}"
    assert model[1] is model[2][0], "the Block registered twice should become one shared Linear"
    assert not any(isinstance(m, (visible.Block, nn.ReLU)) for m in model.modules()), (
        "a Block (or a ReLU inside a replaced Block) is still in the model")


def test_state_dict_keys_survive_replacing_activations(ex):
    model = visible.make_model(seed=9)
    keys = list(model.state_dict())
    visible.replace(ex, model, nn.ReLU, nn.GELU)
    assert list(model.state_dict()) == keys, "activations hold no parameters: the state_dict keys must not change"


def test_shared_module_in_deep_and_shallow_places(ex):
    torch.manual_seed(10)
    act = nn.ReLU()
    deep = nn.Sequential(nn.Sequential(nn.Linear(4, 4), act), act)
    model = nn.Sequential(deep, act, deep)
    count = visible.replace(ex, model, nn.ReLU, nn.Tanh)
    assert count == 1, f"a single ReLU object was registered in many places; expected count 1, got {count}"
    news = {id(m) for path, m in model.named_modules(remove_duplicate=False) if isinstance(m, nn.Tanh)}
    assert len(news) == 1 and not visible.places_of(model, nn.ReLU), "every place should hold the same Tanh"


def test_old_type_nested_in_old_type_is_replaced_whole(ex):
    torch.manual_seed(11)
    outer = nn.Sequential(nn.Linear(4, 4), nn.Sequential(nn.ReLU()))
    later = nn.Sequential(nn.Tanh())

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.first = outer
            self.mid = nn.Linear(4, 4)
            self.last = later

    model = Net()
    made = []

    def factory() -> nn.Module:
        made.append(nn.Sequential(nn.Identity(), nn.Identity()))
        return made[-1]

    count = visible.replace(ex, model, nn.Sequential, factory)
    assert count == 2, (
        f"model.first (holding a nested Sequential) and model.last are the two Sequentials to replace; expected 2, "
        f"got {count}; likely cause: the Sequential inside model.first counted (or replaced) too, or the search "
        "stopped after skipping it")
    assert model.first is made[0] and model.last is made[1], "model.first and model.last should be the new modules"
    assert all(type(m) is nn.Identity for module in made for m in module), (
        f"a factory's module was changed afterwards: {made}; likely cause: the nested Sequential's old path "
        "(first.1) was set on the new module that now sits at model.first")
    assert model.mid is not None and type(model.mid) is nn.Linear, "model.mid must stay"
