"""03_modules/replace_modules: replace submodules by type, recursively, keeping shared modules shared."""

import torch
from torch import nn

from helpers import assert_tensor_close, randn


class Block(nn.Module):
    """A custom module (not a container) holding its activation as an attribute."""

    def __init__(self, act: nn.Module | None = None) -> None:
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.act = nn.ReLU() if act is None else act

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.fc(x))


def make_model(seed: int = 0) -> nn.Sequential:
    """Four ReLUs: one at the top, one in a custom module, two in nested Sequentials."""
    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Linear(4, 8), nn.ReLU(),
        Block(),
        nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Sequential(nn.Linear(8, 8), nn.ReLU())),
        nn.Linear(8, 2),
    )


def places_of(model: nn.Module, kind: type[nn.Module]) -> list[str]:
    """Every place (not just every distinct module) where a `kind` is registered."""
    return [path for path, m in model.named_modules(remove_duplicate=False) if path and isinstance(m, kind)]


def replace(ex, model, old_type, factory):
    count = ex.replace_activations(model, old_type, factory)
    assert type(count) is int, f"replace_activations should return an int count, got {type(count).__name__}"
    return count


def test_replaces_at_every_depth(ex):
    model = make_model()
    replace(ex, model, nn.ReLU, nn.GELU)
    left = places_of(model, nn.ReLU)
    hint = ("nothing was replaced: rebinding a name (as inside model.apply(fn)) never changes the parent; assign "
            "the new module on the parent with setattr(parent, name, new_module)" if len(left) == 4 else
            "recurse into every child (nested Sequentials and custom modules), not only the top level")
    assert not left, f"ReLUs left at {left}; {hint}"
    assert len(places_of(model, nn.GELU)) == 4, f"expected 4 GELUs, found them at {places_of(model, nn.GELU)}"


def test_returns_the_number_replaced(ex):
    count = replace(ex, make_model(), nn.ReLU, nn.GELU)
    assert count == 4, f"the model holds 4 ReLU modules; replace_activations returned {count}"


def test_outputs_match_a_model_built_with_gelu(ex):
    model = make_model(seed=1)
    expected_model = make_model(seed=1)
    expected_model[1] = nn.GELU()
    expected_model[2].act = nn.GELU()
    expected_model[3][1] = nn.GELU()
    expected_model[3][2][1] = nn.GELU()
    replace(ex, model, nn.ReLU, nn.GELU)
    x = randn(5, 4, seed=2)
    assert_tensor_close(model(x), expected_model(x), atol=1e-6, rtol=1e-6, what="output after replacing ReLU by GELU",
                        hint="a ReLU was left in place, or the forward no longer uses the replaced module")


def test_apply_style_rebinding_is_not_enough(ex):
    model = make_model()
    before = torch.nn.utils.parameters_to_vector(model.parameters()).clone()
    replace(ex, model, nn.ReLU, lambda: nn.LeakyReLU(0.2))
    assert not places_of(model, nn.ReLU), (
        "the model still holds ReLUs: rebinding a name inside model.apply(fn) never changes the parent; "
        "use setattr(parent, name, new_module)")
    assert torch.equal(torch.nn.utils.parameters_to_vector(model.parameters()), before), "parameters changed"


def test_shared_module_is_replaced_everywhere_by_one_module(ex):
    torch.manual_seed(3)
    act = nn.ReLU()
    model = nn.Sequential(nn.Linear(4, 8), act, nn.Linear(8, 8), act, Block(act), nn.Linear(8, 2))
    count = replace(ex, model, nn.ReLU, nn.GELU)
    left = places_of(model, nn.ReLU)
    assert not left, (
        f"the shared ReLU is still registered at {left}; named_children() and named_modules() skip a module they "
        "have already yielded, so a module used twice is only seen once (named_modules(remove_duplicate=False) "
        "lists every place)")
    assert model[1] is model[3] is model[4].act, (
        "the three places shared one ReLU; after replacement they should share one GELU, not hold separate ones")
    assert count == 1, f"one (shared) ReLU module was replaced, so the count is 1, got {count}"


def test_other_modules_keep_their_identity(ex):
    model = make_model(seed=4)
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    others = {path: m for path, m in model.named_modules() if not isinstance(m, nn.ReLU)}
    params = list(model.parameters())
    replace(ex, model, nn.ReLU, nn.GELU)
    after = [m for m in model.modules() if isinstance(m, nn.Linear)]
    assert len(after) == len(linears) and all(a is b for a, b in zip(after, linears)), (
        "the Linear layers were re-created; replace only the old_type modules and keep the rest as they are")
    now = dict(model.named_modules())
    rebuilt = [path or "<model>" for path, m in others.items() if now.get(path) is not m]
    assert not rebuilt, (
        f"these modules are no longer the same objects: {rebuilt}; likely cause: a container (Sequential, custom "
        "module) rebuilt around the new activations instead of setattr(parent, name, new) on the existing one")
    assert all(a is b for a, b in zip(model.parameters(), params)), "the parameter objects changed"


def test_containers_and_other_types(ex):
    torch.manual_seed(5)
    model = nn.ModuleDict({
        "stack": nn.ModuleList([nn.Linear(3, 3), nn.ReLU(), nn.Tanh(), nn.ReLU()]),
        "gate": nn.LeakyReLU(0.1),
        "inner": nn.ModuleDict({"act": nn.ReLU()}),
    })
    count = replace(ex, model, nn.ReLU, nn.SiLU)
    assert count == 3, f"expected 3 ReLUs replaced (2 in the ModuleList, 1 in the inner ModuleDict), got {count}"
    assert isinstance(model["stack"][1], nn.SiLU) and isinstance(model["stack"][3], nn.SiLU)
    assert isinstance(model["inner"]["act"], nn.SiLU), "the ReLU inside the nested ModuleDict was not replaced"
    assert isinstance(model["stack"][2], nn.Tanh) and isinstance(model["gate"], nn.LeakyReLU), (
        "modules of other types (Tanh, LeakyReLU) must be left alone")
