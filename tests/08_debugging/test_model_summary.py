"""08_debugging/model_summary: rows of (name, type, output shape, params, trainable) that add up, model untouched."""

import pytest
import torch
from torch import nn

from helpers import assert_no_hooks_left, global_hook_count, randn

def small_cnn(seed: int = 0) -> nn.Sequential:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(),
                         nn.Linear(4 * 6 * 6, 5))


SMALL_CNN_ROWS = [
    ("", "Sequential", (2, 5), 0, 0),
    ("0", "Conv2d", (2, 4, 6, 6), 4 * 3 * 3 * 3 + 4, 4 * 3 * 3 * 3 + 4),
    ("1", "BatchNorm2d", (2, 4, 6, 6), 8, 8),
    ("2", "ReLU", (2, 4, 6, 6), 0, 0),
    ("3", "Flatten", (2, 144), 0, 0),
    ("4", "Linear", (2, 5), 144 * 5 + 5, 144 * 5 + 5),
]


class Encoder(nn.Module):
    """A frozen embedding stem, a container with two blocks and a head."""

    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Linear(6, 8)
        self.blocks = nn.Sequential(nn.Linear(8, 8), nn.GELU(), nn.Linear(8, 4))
        self.head = nn.Linear(4, 2, bias=False)
        self.stem.requires_grad_(False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.blocks(self.stem(x)))


def check_rows(rows, expected) -> None:
    assert isinstance(rows, list), f"expected a list of SummaryRow, got {type(rows).__name__}"
    names = [row.name for row in rows]
    assert names == [e[0] for e in expected], (
        f"expected one row per module in named_modules() order, the model itself first as '': "
        f"{[e[0] for e in expected]}; got {names}")
    for row, want in zip(rows, expected):
        got = (row.name, row.type, row.output_shape, row.params, row.trainable)
        assert got == want, (
            f"row {want[0]!r}: expected (name, type, output_shape, params, trainable) = {want}, got {got}; "
            "params counts the parameters the module owns directly (recurse=False), its children have their own rows")
        if row.output_shape is not None:
            assert isinstance(row.output_shape, tuple) and all(type(n) is int for n in row.output_shape), (
                f"row {row.name!r}: output_shape should be a tuple of ints, got {row.output_shape!r}")


def test_rows_of_a_small_cnn(ex):
    rows = ex.summarize(small_cnn(), (2, 3, 6, 6))
    check_rows(rows, SMALL_CNN_ROWS)


def test_totals_and_frozen_layers(ex):
    torch.manual_seed(1)
    model = Encoder()
    rows = ex.summarize(model, (3, 6))
    total = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    assert sum(row.params for row in rows) == total, (
        f"the rows' params add up to {sum(row.params for row in rows)}, expected {total} = "
        "sum(p.numel() for p in model.parameters()); count each module's own parameters only")
    assert sum(row.trainable for row in rows) == trainable, (
        f"the rows' trainable counts add up to {sum(row.trainable for row in rows)}, expected {trainable} "
        "(the frozen stem has requires_grad=False)")
    by_name = {row.name: row for row in rows}
    assert (by_name["stem"].params, by_name["stem"].trainable) == (56, 0), (
        f"stem: expected 56 params, 0 trainable, got {by_name['stem'].params}, {by_name['stem'].trainable}")
    assert by_name["blocks"].params == 0 and by_name["blocks"].output_shape == (3, 4)


def test_the_model_is_left_exactly_as_it_was(ex):
    model = small_cnn(2)
    with torch.no_grad():
        model[1].running_mean.uniform_(-1.0, 1.0)
    buffers = {name: b.clone() for name, b in model.named_buffers()}
    model.train()
    global_before = global_hook_count()
    rows = ex.summarize(model, (2, 3, 6, 6))
    assert len(rows) == len(SMALL_CNN_ROWS)
    for name, b in model.named_buffers():
        assert torch.equal(b, buffers[name]), (
            f"buffer {name} changed: the forward ran in training mode and BatchNorm updated its running statistics "
            "(switch to eval for the forward pass)")
    assert all(m.training for m in model.modules()), "the model was in train mode before summarize() and is not after"
    assert all(p.grad is None for p in model.parameters()), "summarize() must not leave gradients on the parameters"
    assert_no_hooks_left(model, global_before)


class GradProbe(nn.Module):
    """Remembers, each time it runs, whether autograd was recording."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(4, 3)
        self.grad_enabled: list[bool] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.grad_enabled.append(torch.is_grad_enabled())
        return self.fc(x)


def test_one_forward_without_a_graph(ex):
    torch.manual_seed(3)
    model = GradProbe()
    rows = ex.summarize(model, (5, 4))
    check_rows(rows, [("", "GradProbe", (5, 3), 0, 0), ("fc", "Linear", (5, 3), 15, 15)])
    assert len(model.grad_enabled) == 1, (
        f"expected the model to run exactly once, it ran {len(model.grad_enabled)} times")
    assert model.grad_enabled == [False], (
        "autograd was recording during the summary's forward pass; expected it off (torch.no_grad() or "
        "torch.inference_mode()): a graph keeps every activation alive for a backward that never comes")
    assert torch.is_grad_enabled(), "summarize() left autograd switched off for the caller"
