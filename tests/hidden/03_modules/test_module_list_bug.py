"""03_modules/module_list_bug, hidden: other depths and task sets, module traversal, training, checkpoint files."""

import pytest
import torch
import torch.nn.functional as F

from helpers import assert_tensor_close, randn, visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("depth,tasks", [(0, {"age": 1}), (1, {"a": 3, "b": 1}), (5, {"x": 2})])
def test_parameter_count_for_other_configs(ex, depth, tasks):
    model = visible.make_model(ex, depth=depth, tasks=tasks)
    count = sum(p.numel() for p in model.parameters())
    expected = visible.expected_parameter_count(depth, tasks)
    assert count == expected, f"depth={depth}, tasks={tasks}: expected {expected} parameters, got {count}"


def test_state_dict_lists_every_tensor(ex):
    keys = list(visible.make_model(ex).state_dict())
    expected = 2 + visible.DEPTH * 4 + 2 * len(visible.TASKS)  # stem, (Linear + LayerNorm) per block, heads
    assert len(keys) == expected, f"expected {expected} tensors in the state_dict, got {len(keys)}: {keys}"


def test_modules_and_apply_reach_every_linear(ex):
    model = visible.make_model(ex)
    linears = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    expected = 1 + visible.DEPTH + len(visible.TASKS)
    assert len(linears) == expected, f"model.modules() yields {len(linears)} Linear layers, expected {expected}"
    model.apply(lambda m: torch.nn.init.zeros_(m.weight) if isinstance(m, torch.nn.Linear) else None)
    nonzero = [name for name, w in visible.layer_weights(model).items()
               if "Linear" in name and w.abs().sum() > 0]
    assert not nonzero, f"model.apply() did not reach {nonzero}"


def test_checkpoint_file_round_trip(ex, tmp_path):
    saved = visible.make_model(ex, seed=20).eval()
    torch.save(saved.state_dict(), tmp_path / "ckpt.pt")
    restored = visible.make_model(ex, seed=21).eval()
    restored.load_state_dict(torch.load(tmp_path / "ckpt.pt", weights_only=True))
    x = randn(3, visible.IN, seed=22)
    with torch.no_grad():
        assert torch.equal(visible.outputs(restored, x), visible.outputs(saved, x)), (
            "a model reloaded from its checkpoint file predicts differently")


def test_training_fits_every_task(ex):
    model = visible.make_model(ex, seed=23, depth=2)
    x = randn(32, visible.IN, seed=24)
    targets = {task: randn(32, size, seed=25 + size) for task, size in visible.TASKS.items()}
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-2)
    model.train()
    for step in range(60):
        optimizer.zero_grad()
        out = model(x)
        loss = sum(F.mse_loss(out[task], targets[task]) for task in visible.TASKS)
        first = loss.item() if step == 0 else first
        loss.backward()
        optimizer.step()
    assert loss.item() < 0.35 * first, (
        f"training loss went from {first:.3f} to {loss.item():.3f}, expected below {0.35 * first:.3f}; with every "
        "layer registered (and so trained) it falls far lower")


def test_zero_grad_clears_every_layer(ex):
    model = visible.make_model(ex, seed=26)
    visible.outputs(model, randn(4, visible.IN, seed=27)).sum().backward()
    model.zero_grad()
    left = [name for name, w in visible.layer_weights(model).items() if w.grad is not None and w.grad.abs().sum() > 0]
    assert not left, f"model.zero_grad() left gradients on {left}"


def test_outputs_follow_the_order_of_tasks(ex):
    tasks = {"smile": 2, "age": 1, "beard": 3}  # not in sorted order
    model = visible.make_model(ex, seed=28, tasks=tasks).eval()
    with torch.no_grad():
        out = model(randn(2, visible.IN, seed=29))
    assert list(out) == list(tasks), (
        f"expected the output dict's keys in the order of tasks, {list(tasks)}, got {list(out)}; likely cause: the "
        "heads sorted (or otherwise reordered) instead of kept in the order tasks gives them")
    shapes = {task: tuple(value.shape) for task, value in out.items()}
    assert shapes == {task: (2, size) for task, size in tasks.items()}, f"unexpected output shapes {shapes}"
    count = sum(p.numel() for p in model.parameters())
    expected = visible.expected_parameter_count(visible.DEPTH, tasks)
    assert count == expected, f"tasks={tasks}: expected {expected} parameters, got {count} (unregistered layers)"


def test_dropout_argument_reaches_every_block(ex):
    torch.manual_seed(30)
    model = ex.MultiTaskNet(visible.IN, visible.HIDDEN, 3, {"a": 1}, dropout=0.3)
    probabilities = [m.p for m in model.modules() if isinstance(m, torch.nn.Dropout)]
    assert probabilities == [0.3] * 3, (
        f"MultiTaskNet(..., depth=3, dropout=0.3): expected 3 Dropout layers with p=0.3, got {probabilities}; "
        "likely cause: the dropout argument ignored (the default 0.1 hard-coded)")


@pytest.mark.parametrize("depth", [1, 3])
def test_forward_is_the_residual_computation(ex, depth):
    model = visible.make_model(ex, seed=31, depth=depth).eval()
    x = randn(4, visible.IN, seed=32)
    with torch.no_grad():
        h = torch.relu(model.stem(x))
        for i in range(depth):
            h = h + model.blocks[i](h)
        expected = {task: model.heads[task](h) for task in visible.TASKS}
        out = model(x)
    for task in visible.TASKS:
        assert_tensor_close(out[task], expected[task], atol=1e-6, rtol=1e-6, what=f"depth={depth}, output {task!r}",
                            hint="the forward computation was changed (expected relu(stem(x)), then h = h + "
                                 "blocks[i](h) for each block, then heads[task](h)): no residual, or a block skipped")
