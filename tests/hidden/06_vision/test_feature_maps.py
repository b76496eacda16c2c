"""06_vision/feature_maps, hidden: repeated layers, bad names, graphs, batches, nrow, dead channels."""

import pytest
import torch
from torch import nn

from helpers import assert_no_graph, assert_tensor_close, randn, visible_tests

visible = visible_tests(__file__)


def test_a_layer_called_twice_keeps_its_last_output(ex):
    """BasicBlock calls self.relu twice: after bn1 and after the residual add; the last one is the block output."""
    model = visible.make_resnet()
    x = randn(1, 3, 32, 32, seed=10)
    result = visible.capture(ex, model, ["layer1.0.relu", "layer1.0"], x)
    assert_tensor_close(result["layer1.0.relu"], result["layer1.0"], atol=1e-6, rtol=1e-5,
                        what="layer1.0.relu (its last call)", hint="keep the last output of a layer that runs twice")


@pytest.mark.parametrize("names", [["layer1", "no_such_layer"], ["layer1.7.conv1"]])
def test_unknown_names_raise_and_leave_no_hooks(ex, names):
    model = visible.make_resnet()
    with pytest.raises((AttributeError, KeyError)):
        ex.capture_activations(model, names, randn(1, 3, 32, 32, seed=11))
    visible.assert_no_hooks_left(model, when=f"after capture_activations with the bad name in {names}")


def test_no_graph_even_when_the_input_requires_grad(ex):
    model = visible.make_resnet()
    x = randn(2, 3, 32, 32, seed=12).requires_grad_()
    result = visible.capture(ex, model, ["conv1", "layer2.1.bn2", "fc"], x)
    for name, value in result.items():
        assert_no_graph(value, what=f"activation {name}", hint="detach the stored output")
    assert x.grad is None
    assert tuple(result["fc"].shape) == (2, 1000)


def test_batch_and_other_layers_match_the_reference(ex):
    model = visible.make_resnet()
    x = randn(3, 3, 32, 32, seed=13)
    expected = visible.reference_activations(model, x)
    result = visible.capture(ex, model, ["layer4", "layer1.0.bn1"], x)
    for name in result:
        assert_tensor_close(result[name], expected[name], atol=1e-5, rtol=1e-4, what=f"activation {name}")


def test_captured_tensors_survive_later_forward_passes(ex):
    model = visible.make_resnet()
    first = visible.capture(ex, model, ["layer1.0.bn1"], randn(1, 3, 32, 32, seed=14))["layer1.0.bn1"]
    kept = first.clone()
    model(randn(1, 3, 32, 32, seed=15))
    assert torch.equal(first, kept), "a later forward pass changed a captured activation: store copies"
    assert (first < 0).any(), "bn1's output has negative values before the ReLU; the capture has none (not a copy?)"


def test_grid_with_other_nrow_and_dead_channel(ex, tmp_path):
    fmap = randn(6, 4, 5, seed=16)
    fmap[3] = 0.0  # a dead filter: the seed says it shows black
    before = fmap.clone()
    path = tmp_path / "grid.png"
    ex.save_feature_grid(fmap, path, nrow=4)
    assert torch.equal(fmap, before), "save_feature_grid modified the caller's feature map (normalise a copy)"
    image = visible.read_png(path).float()
    assert tuple(image.shape[1:]) == (2 * 6 + 2, 4 * 7 + 2), f"nrow=4: got an image of {tuple(image.shape[1:])}"
    for index in range(6):
        got = visible.tile(image, index, 4, 5, nrow=4)[0]
        worst = float((got - visible.expected_tile(fmap[index])).abs().max())
        assert worst <= 1, (
            f"tile {index} with nrow=4 differs from its own min-max scaling (a constant channel must be black)")


def test_grid_from_a_captured_map_with_a_graph(ex, tmp_path):
    conv = nn.Conv2d(3, 4, 3)
    fmap = conv(randn(1, 3, 9, 9, seed=17))[0]  # still attached to autograd
    path = tmp_path / "from_graph.png"
    ex.save_feature_grid(fmap, path)
    image = visible.read_png(path)
    assert tuple(image.shape[1:]) == (7 + 4, 4 * 9 + 2)


def test_a_model_in_mixed_modes_runs_and_stays_in_them(ex):
    """Train mode with one BatchNorm frozen in eval: the capture runs in those modes and leaves every one as it was."""
    model = visible.make_resnet().train()
    model.layer1[0].bn1.eval()
    modes = {name: module.training for name, module in model.named_modules()}
    x = randn(2, 3, 32, 32, seed=16)
    with torch.no_grad():
        expected = model.bn1(model.conv1(x))  # train mode: batch statistics, not the running ones
    result = visible.capture(ex, model, ["bn1"], x)
    changed = [name or "(root)" for name, module in model.named_modules() if module.training != modes[name]]
    assert not changed, (
        f"capture_activations changed the train/eval mode of {changed[:4]}: restoring only model.train(...) "
        "resets every submodule to the root's flag; leave the modes alone (no eval() inside)")
    assert_tensor_close(result["bn1"], expected, atol=1e-5, rtol=1e-4, what="bn1 output of a model in train mode",
                        hint="run the model in the caller's mode: a BatchNorm in train mode uses the batch statistics")
