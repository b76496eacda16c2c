"""03_modules/module_list_bug: layers kept in a Python list or dict are invisible to nn.Module."""

import torch
from torch import nn

from helpers import assert_tensor_close, randn

TASKS = {"age": 1, "gender": 2, "emotion": 5}
IN, HIDDEN, DEPTH = 6, 16, 3


def make_model(ex, seed: int = 0, depth: int = DEPTH, tasks=None) -> nn.Module:
    torch.manual_seed(seed)
    return ex.MultiTaskNet(IN, HIDDEN, depth, dict(TASKS if tasks is None else tasks))


def expected_parameter_count(depth: int = DEPTH, tasks=None) -> int:
    tasks = TASKS if tasks is None else tasks
    stem = IN * HIDDEN + HIDDEN
    block = HIDDEN * HIDDEN + HIDDEN + 2 * HIDDEN  # Linear + LayerNorm
    heads = sum(HIDDEN * size + size for size in tasks.values())
    return stem + depth * block + heads


def layer_weights(model: nn.Module, depth: int = DEPTH, tasks=None) -> dict[str, torch.Tensor]:
    """Every learnable weight reached through the attributes the stub fixes (this works whether registered or not)."""
    tasks = TASKS if tasks is None else tasks
    weights = {"stem.weight": model.stem.weight}
    for i in range(depth):
        weights[f"blocks[{i}] Linear weight"] = model.blocks[i][0].weight
        weights[f"blocks[{i}] LayerNorm weight"] = model.blocks[i][1].weight
    for task in tasks:
        weights[f"heads['{task}'].weight"] = model.heads[task].weight
    return weights


def outputs(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    out = model(x)
    return torch.cat([out[task] for task in TASKS], dim=1)


def test_every_parameter_is_counted(ex):
    model = make_model(ex)
    count = sum(p.numel() for p in model.parameters())
    expected = expected_parameter_count()
    assert count == expected, (
        f"model.parameters() holds {count} numbers, but stem + {DEPTH} blocks + {len(TASKS)} heads have {expected}; "
        "likely cause: layers kept in a plain Python list or dict are not registered as submodules")


def test_optimizer_updates_every_layer(ex):
    model = make_model(ex, seed=1)
    before = {name: w.detach().clone() for name, w in layer_weights(model).items()}
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss = outputs(model, randn(8, IN, seed=2)).pow(2).mean()
    loss.backward()
    optimizer.step()
    frozen = [name for name, w in layer_weights(model).items() if torch.equal(w.detach(), before[name])]
    assert not frozen, (
        f"one optimizer step left these layers unchanged: {frozen}; the optimizer only sees model.parameters(), "
        "which skips modules stored in plain lists and dicts")


def test_to_moves_and_converts_every_layer(ex, device):
    model = make_model(ex, seed=3).to(device=device, dtype=torch.float64)
    stale = [name for name, w in layer_weights(model).items()
             if w.dtype != torch.float64 or w.device.type != device.type]
    assert not stale, (
        f"after model.to({device!s}, torch.float64) these weights were not moved or not converted: {stale}; "
        ".to() only reaches registered submodules")
    model.eval()
    out = outputs(model, randn(4, IN, seed=4, dtype=torch.float64, device=device))
    assert out.dtype == torch.float64, f"expected float64 outputs, got {out.dtype}"


def test_eval_mode_reaches_every_block(ex):
    model = make_model(ex, seed=7)
    model.eval()
    still_training = [f"blocks[{i}]" for i in range(DEPTH) if model.blocks[i].training]
    assert not still_training, (
        f"after model.eval() {still_training} are still in training mode (their Dropout stays active); "
        ".eval() only reaches registered submodules")
    x = randn(5, IN, seed=8)
    with torch.no_grad():
        assert_tensor_close(outputs(model, x), outputs(model, x), atol=0, rtol=0,
                            what="two eval-mode predictions of the same batch", hint="Dropout is still active")


def test_state_dict_round_trip_restores_predictions(ex):
    saved = make_model(ex, seed=9)
    restored = make_model(ex, seed=10)
    restored.load_state_dict(saved.state_dict())
    saved.eval()
    restored.eval()
    x = randn(5, IN, seed=11)
    with torch.no_grad():
        assert_tensor_close(outputs(restored, x), outputs(saved, x), atol=1e-6, rtol=1e-6,
                            what="predictions after a state_dict round trip",
                            hint="state_dict() only saves registered submodules: use nn.ModuleList / nn.ModuleDict")
