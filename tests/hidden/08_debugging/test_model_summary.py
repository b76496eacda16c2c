"""08_debugging/model_summary, hidden: weight tying, unused and reused modules, tuples, mixed modes, failures."""

import pytest
import torch
from torch import nn

from helpers import visible_tests

visible = visible_tests(__file__)


class TiedLM(nn.Module):
    """Input embedding and output projection share one weight; a positional parameter lives on the model."""

    def __init__(self) -> None:
        super().__init__()
        self.pos = nn.Parameter(torch.zeros(5, 8))
        self.embed = nn.Embedding(20, 8)
        self.proj = nn.Linear(8, 20, bias=False)
        self.proj.weight = self.embed.weight

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        return self.proj(self.embed(tokens.long()) + self.pos)


class Branchy(nn.Module):
    """An LSTM (tuple output), a ReLU called twice and a module that never runs."""

    def __init__(self) -> None:
        super().__init__()
        self.lstm = nn.LSTM(3, 4, batch_first=True)
        self.act = nn.ReLU()
        self.fc = nn.Linear(4, 2)
        self.unused = nn.Linear(2, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, _ = self.lstm(x)
        return self.act(self.fc(self.act(out[:, -1])))


class Boom(Exception):
    pass


class Explodes(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise Boom("shape mismatch in the decoder")


def test_tied_weights_count_once(ex):
    torch.manual_seed(3)
    model = TiedLM()
    rows = ex.summarize(model, (2, 5))
    total = sum(p.numel() for p in model.parameters())
    visible.check_rows(rows, [("", "TiedLM", (2, 5, 20), 40, 40), ("embed", "Embedding", (2, 5, 8), 160, 160),
                              ("proj", "Linear", (2, 5, 20), 0, 0)])
    assert sum(row.params for row in rows) == total == 200


def test_unused_reused_and_tuple_outputs(ex):
    torch.manual_seed(4)
    model = Branchy()
    rows = ex.summarize(model, (2, 7, 3))
    lstm_params = sum(p.numel() for p in model.lstm.parameters())
    visible.check_rows(rows, [("", "Branchy", (2, 2), 0, 0), ("lstm", "LSTM", None, lstm_params, lstm_params),
                              ("act", "ReLU", (2, 2), 0, 0), ("fc", "Linear", (2, 2), 10, 10),
                              ("unused", "Linear", None, 6, 6)])


def test_each_modules_own_mode_is_restored(ex):
    model = visible.small_cnn(5)
    model.train()
    model[1].eval()  # a frozen BatchNorm inside a model that is training
    visible.check_rows(ex.summarize(model, (2, 3, 6, 6)), visible.SMALL_CNN_ROWS)
    modes = {name or "<model>": m.training for name, m in model.named_modules()}
    assert modes == {"<model>": True, "0": True, "1": False, "2": True, "3": True, "4": True}, (
        f"expected every module's own training flag back (BatchNorm '1' stays in eval), got {modes}; "
        "model.train(was_training) overwrites the children: remember and restore each module's flag")


def test_eval_model_stays_in_eval(ex):
    model = visible.small_cnn(6).eval()
    rows = ex.summarize(model, (1, 3, 6, 6))
    visible.check_rows(rows, [(name, kind, (1, *shape[1:]), params, trainable)
                              for name, kind, shape, params, trainable in visible.SMALL_CNN_ROWS])
    assert not any(m.training for m in model.modules()), "the model was in eval mode and came back in train mode"


def test_failure_removes_hooks_restores_modes_and_propagates(ex):
    model = nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3), Explodes()).train()
    global_before = visible.global_hook_count()
    with pytest.raises(Boom, match="decoder"):
        ex.summarize(model, (4, 3))
    visible.assert_no_hooks_left(model, global_before)
    assert all(m.training for m in model.modules()), "a failed forward left the model in eval mode"


def test_other_input_shapes(ex):
    model = nn.Sequential(nn.Conv2d(1, 2, 3, stride=2), nn.AdaptiveAvgPool2d(1), nn.Flatten())
    rows = ex.summarize(model, (4, 1, 9, 11))
    assert [row.output_shape for row in rows] == [(4, 2), (4, 2, 4, 5), (4, 2, 1, 1), (4, 2)]


def summarize_on_device(ex, model: nn.Module, input_shape: tuple[int, ...], device) -> list:
    try:
        return ex.summarize(model, input_shape)
    except RuntimeError as err:
        if "device" not in str(err):
            raise
        raise AssertionError(
            f"summarize() of a model on {device} raised {err!s:.100}; expected the input tensor on the model's "
            "device; likely cause: torch.zeros(input_shape) without device= (the CPU)") from None


def test_input_is_built_on_the_models_device(ex, device):
    model = visible.small_cnn(7).to(device)
    visible.check_rows(summarize_on_device(ex, model, (2, 3, 6, 6), device), visible.SMALL_CNN_ROWS)


def test_a_meta_model_gets_a_meta_input(ex):
    with torch.device("meta"):  # shapes without storage: a model on a device other than the CPU, on a CPU box
        model = visible.small_cnn(8)
        buffers_only = nn.Sequential(nn.BatchNorm1d(3, affine=False), nn.ReLU())
    rows = summarize_on_device(ex, model, (2, 3, 6, 6), "meta")
    visible.check_rows(rows, visible.SMALL_CNN_ROWS)
    rows = summarize_on_device(ex, buffers_only, (4, 3), "meta (buffers only, no parameter)")
    visible.check_rows(rows, [("", "Sequential", (4, 3), 0, 0), ("0", "BatchNorm1d", (4, 3), 0, 0),
                              ("1", "ReLU", (4, 3), 0, 0)])


def test_a_model_without_parameters_or_buffers_runs_on_the_cpu(ex):
    model = nn.Sequential(nn.Flatten(), nn.Tanh())
    rows = ex.summarize(model, (3, 2, 5))
    visible.check_rows(rows, [("", "Sequential", (3, 10), 0, 0), ("0", "Flatten", (3, 10), 0, 0),
                              ("1", "Tanh", (3, 10), 0, 0)])
