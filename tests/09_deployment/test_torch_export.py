"""09_deployment/torch_export: an eval-mode ExportedProgram with a dynamic batch, through save/load and back."""

import copy

import pytest
import torch
from torch import nn
from torch.export import ExportedProgram

from helpers import assert_tensor_close, randn

pytestmark = pytest.mark.slow  # every test here runs torch.export (about a second each)


def make_model(seed: int = 0) -> nn.Sequential:
    """Dropout and BatchNorm with non-trivial running statistics: a train-mode export gives different outputs."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(5, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.5), nn.Linear(16, 3))
    with torch.no_grad():
        model[1].running_mean.uniform_(-1.0, 1.0)
        model[1].running_var.uniform_(0.5, 2.0)
    return model


def eager_eval(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    twin = copy.deepcopy(model).eval()
    with torch.no_grad():
        return twin(x)


def round_trip(ex, program, tmp_path) -> ExportedProgram:
    assert type(program) is ExportedProgram, (
        f"export_model should return the torch.export.ExportedProgram, got {type(program).__name__}")
    path = tmp_path / "model.pt2"
    ex.save_program(program, path)
    assert path.is_file(), f"save_program wrote nothing at {path}"
    loaded = ex.load_program(path)
    assert type(loaded) is ExportedProgram, f"load_program should return an ExportedProgram, got {type(loaded).__name__}"
    return loaded


def test_saved_program_runs_any_batch_size_like_eager(ex, tmp_path):
    model = make_model().train()
    program = ex.export_model(model, randn(4, 5, seed=1))
    assert model.training, "the caller's model was in train mode and came back in eval mode: restore its mode"
    runner = round_trip(ex, program, tmp_path).module()
    for batch in (1, 3, 9):
        x = randn(batch, 5, seed=10 + batch)
        try:
            out = runner(x)
        except Exception as err:  # a specialised batch dimension fails a guard here
            pytest.fail(f"the loaded program rejected a batch of {batch} (exported with 4): {type(err).__name__}: "
                        f"{str(err)[:200]}; mark dim 0 dynamic with dynamic_shapes=({{0: torch.export.Dim('batch')}},)")
        assert_tensor_close(out, eager_eval(model, x), atol=1e-5, rtol=1e-5, what=f"program output at batch {batch}",
                            hint="export records the mode the model is in: export in eval mode "
                                 "(Dropout off, BatchNorm on running statistics)")


def test_static_export_is_specialised_to_the_example(ex, tmp_path):
    model = make_model(2)
    program = ex.export_model(model, randn(4, 5, seed=2), dynamic_batch=False)
    runner = round_trip(ex, program, tmp_path).module()
    x = randn(4, 5, seed=3)
    assert_tensor_close(runner(x), eager_eval(model, x), atol=1e-5, rtol=1e-5, what="static program output")
    with pytest.raises(Exception):
        runner(randn(3, 5, seed=4))  # dynamic_batch=False: a batch of 3 must be refused by the shape guard
