"""09_deployment/onnx_export: a dynamo-exported ONNX file with a dynamic batch, checked with ONNX Runtime."""

import copy
import warnings

import pytest
import torch
from torch import nn

from helpers import assert_is_tensor, assert_tensor_close, randn

INSTALL = 'needs the optional ONNX extra: pip install -e ".[onnx]"'


@pytest.fixture
def onnx_stack():
    """Skips the test (not the module) when onnx, onnxscript or onnxruntime is missing. List it before `ex`."""
    for name in ("onnx", "onnxscript", "onnxruntime"):
        pytest.importorskip(name, reason=f"{name} is not installed; {INSTALL}")
    import onnxruntime
    return onnxruntime


def make_model(seed: int = 0) -> nn.Sequential:
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.5), nn.Linear(16, 3))
    with torch.no_grad():
        model[1].running_mean.uniform_(-1.0, 1.0)
        model[1].running_var.uniform_(0.5, 2.0)
    return model


def eager_eval(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    twin = copy.deepcopy(model).eval()
    with torch.no_grad():
        return twin(x)


def run_with_onnxruntime(onnxruntime, path, x: torch.Tensor) -> torch.Tensor:
    """The test's own runner, independent of the learner's run_onnx."""
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    declared = session.get_inputs()[0]
    assert not isinstance(declared.shape[0], int), (
        f"the ONNX file fixes the batch dimension to {declared.shape[0]} (input shape {declared.shape}); "
        "declare it dynamic: dynamic_shapes=({0: torch.export.Dim('batch')},)")
    return torch.from_numpy(session.run(None, {declared.name: x.numpy()})[0])


@pytest.mark.slow
def test_exported_file_matches_eager_at_two_batch_sizes(onnx_stack, ex, tmp_path, capsys):
    model, path = make_model().train(), tmp_path / "detector.onnx"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ex.export_onnx(model, randn(4, 6, seed=1), path)
    training_warnings = [str(w.message) for w in caught if "training mode" in str(w.message)]
    assert not training_warnings, (
        f"the exporter warned: {training_warnings[0][:120]!r}; switch the model to eval mode before exporting "
        "(and restore the caller's mode afterwards)")
    printed = capsys.readouterr().out
    assert printed == "", (
        f"export_onnx printed {len(printed.splitlines())} lines to stdout (first: {printed.splitlines()[0]!r}); "
        "pass verbose=False to torch.onnx.export")
    assert model.training, "the caller's model was in train mode and came back in eval mode: restore its mode"
    assert path.is_file(), f"export_onnx wrote nothing at {path}"
    for batch in (1, 7):
        x = randn(batch, 6, seed=10 + batch)
        assert_tensor_close(run_with_onnxruntime(onnx_stack, path, x), eager_eval(model, x), atol=1e-5, rtol=1e-4,
                            what=f"ONNX Runtime output at batch {batch}",
                            hint="export in eval mode: Dropout off, BatchNorm on its running statistics")


def test_run_onnx_feeds_the_declared_input(onnx_stack, ex, tmp_path):
    import onnx
    from onnx import TensorProto, helper

    # a hand-made graph y = 2 * scan_pixels, with an input name no exporter would pick
    graph = helper.make_graph(
        [helper.make_node("Add", ["scan_pixels", "scan_pixels"], ["y"])], "double",
        [helper.make_tensor_value_info("scan_pixels", TensorProto.FLOAT, ["n", 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", 3])])
    path = tmp_path / "double.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=9), str(path))
    x = randn(5, 3, seed=2)
    out = ex.run_onnx(path, x)
    assert_is_tensor(out, what="run_onnx result", hint="convert ONNX Runtime's numpy output with torch.from_numpy")
    assert_tensor_close(out, 2 * x, atol=1e-6, rtol=1e-6, what="run_onnx on a graph computing 2 * input")
