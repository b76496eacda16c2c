"""09_deployment/torch_export, hidden: a conv net with a small example batch, and an eval-mode caller."""

import pytest
import torch
from torch import nn

from helpers import assert_tensor_close, randn, visible_tests

visible = visible_tests(__file__)
pytestmark = pytest.mark.slow


def test_conv_net_exported_from_two_images(ex, tmp_path):
    torch.manual_seed(5)
    model = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                          nn.Flatten(), nn.Dropout(0.3), nn.Linear(4, 2))
    with torch.no_grad():
        model[1].running_var.uniform_(0.5, 2.0)
    model.train()
    runner = visible.round_trip(ex, ex.export_model(model, randn(2, 3, 8, 8, seed=5)), tmp_path).module()
    assert model.training
    for batch in (1, 7):
        x = randn(batch, 3, 8, 8, seed=20 + batch)
        assert_tensor_close(runner(x), visible.eager_eval(model, x), atol=1e-5, rtol=1e-5,
                            what=f"conv program output at batch {batch} (exported from a batch of 2)")


def test_eval_mode_caller_stays_in_eval(ex, tmp_path):
    model = visible.make_model(6).eval()
    program = ex.export_model(model, randn(2, 5, seed=6))
    assert not model.training, "the caller's model was in eval mode and came back in train mode"
    x = randn(5, 5, seed=7)
    assert_tensor_close(program.module()(x), visible.eager_eval(model, x), atol=1e-5, rtol=1e-5,
                        what="program output at batch 5, without a save/load")


def test_the_dynamic_batch_has_no_upper_bound(ex):
    model = visible.make_model(8)
    runner = ex.export_model(model, randn(4, 5, seed=8)).module()
    x = randn(300, 5, seed=9)
    try:
        out = runner(x)
    except Exception as err:
        pytest.fail(f"the program rejected a batch of 300: {type(err).__name__}: {str(err)[:200]} "
                    "(likely cause: Dim('batch', max=...) bounds the batch; leave it unbounded)")
    assert_tensor_close(out, visible.eager_eval(model, x), atol=1e-5, rtol=1e-5, what="program output at batch 300")


def test_the_file_is_a_standard_pt2_archive(ex, tmp_path):
    model = visible.make_model(9)
    x = randn(3, 5, seed=10)
    program = ex.export_model(model, randn(2, 5, seed=11))
    ex.save_program(program, tmp_path / "mine.pt2")
    by_torch = torch.export.load(tmp_path / "mine.pt2")  # what other tools read
    assert_tensor_close(by_torch.module()(x), visible.eager_eval(model, x), atol=1e-5, rtol=1e-5,
                        what="save_program's file read by torch.export.load",
                        hint="write the program with torch.export.save, not torch.save")
    torch.export.save(program, tmp_path / "theirs.pt2")  # a file another tool wrote
    loaded = ex.load_program(tmp_path / "theirs.pt2")
    assert type(loaded) is torch.export.ExportedProgram, f"load_program returned {type(loaded).__name__}"
    assert_tensor_close(loaded.module()(x), visible.eager_eval(model, x), atol=1e-5, rtol=1e-5,
                        what="a torch.export.save file read by load_program",
                        hint="read the program with torch.export.load, not torch.load")


class Unexportable(nn.Module):
    """Calls .item() and branches on it: torch.export cannot trace a data-dependent Python branch."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(5, 3)
        self.drop = nn.Dropout(0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.fc(x).sum().item() > 0:
            return self.drop(x)
        return x


def test_mode_is_restored_when_the_export_fails(ex):
    model = Unexportable().train()
    with pytest.raises(Exception) as failure:
        ex.export_model(model, randn(2, 5, seed=12))
    assert not isinstance(failure.value, NotImplementedError), "export_model is not written yet"
    assert model.training and model.drop.training, (
        "the export raised and the model was left in eval mode: restore the caller's modes in a `finally:`")


def test_submodules_in_mixed_modes_keep_their_own(ex):
    model = visible.make_model(10).train()
    model[1].eval()  # a BatchNorm the training job froze
    before = {name: m.training for name, m in model.named_modules()}
    program = ex.export_model(model, randn(3, 5, seed=13))
    after = {name: m.training for name, m in model.named_modules()}
    assert after == before, (
        f"the caller's per-submodule modes were {before}, export_model left {after} "
        "(remember every module's .training: model.train(flag) sets them all alike)")
    x = randn(4, 5, seed=14)
    assert_tensor_close(program.module()(x), visible.eager_eval(model, x), atol=1e-5, rtol=1e-5,
                        what="program of a model with a frozen BatchNorm")
