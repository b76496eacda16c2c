"""04_training/eval_mode_bug, hidden: uneven batches, nested models, grad mode, and a forward that raises."""

import pytest
import torch
from torch import nn

from helpers import assert_tensor_close, randn, visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("samples,batch_size", [(10, 3), (7, 7), (13, 4)])
def test_accuracy_is_weighted_by_samples_not_batches(ex, samples, batch_size):
    model, loader = visible.make_model(), visible.make_loader(samples, batch_size, seed=samples)
    expected_logits = visible.reference_logits(model, loader)
    labels = torch.cat([labels for _, labels in loader])
    expected = (expected_logits.argmax(dim=1) == labels).sum().item() / samples
    accuracy, logits = ex.evaluate(model, loader)
    assert logits.shape == (samples, 3), f"expected logits for all {samples} samples, got shape {tuple(logits.shape)}"
    assert accuracy == pytest.approx(expected, abs=1e-6), (
        f"expected accuracy {expected:.4f} over {samples} samples in batches of {batch_size}, got {accuracy} "
        "(averaging per-batch accuracies overweights the short last batch)")


def test_nested_dropout_is_switched_off_too(ex):
    torch.manual_seed(3)
    model = nn.Sequential(nn.Sequential(nn.Linear(6, 8), nn.Dropout(0.9)), nn.Sequential(nn.Linear(8, 3)))
    loader = visible.make_loader(12, 4, seed=5)
    _, first = ex.evaluate(model, loader)
    _, second = ex.evaluate(model, loader)
    model.eval()
    with torch.no_grad():
        expected = torch.cat([model(inputs) for inputs, _ in loader])
    for logits in (first, second):
        assert_tensor_close(logits, expected, atol=1e-6, rtol=1e-6, what="logits of a model with nested Dropout",
                            hint="nested Dropout layers stayed active: use model.eval(), which recurses")


@pytest.mark.parametrize("grad_enabled", [True, False])
def test_callers_grad_mode_is_kept(ex, grad_enabled):
    model, loader = visible.make_model(), visible.make_loader()
    seen = visible.record_forward_state(model)
    with torch.set_grad_enabled(grad_enabled):
        ex.evaluate(model, loader)
        assert seen, "evaluate() never called the model"
        assert not any(training or grad for training, grad in seen), (
            "expected every forward in eval mode with autograd off; got (training, grad_enabled) = "
            f"{seen[0]} for the first (call model.eval() and use torch.no_grad())")
        assert torch.is_grad_enabled() == grad_enabled, (
            f"the caller had grad mode {grad_enabled}; evaluate() left it {torch.is_grad_enabled()} "
            "(use a `with torch.no_grad():` block rather than torch.set_grad_enabled(False))")


def test_mode_is_restored_when_a_forward_raises(ex):
    class FailsOnSecondBatch(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = visible.make_model()
            self.calls = 0

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            self.calls += 1
            if self.calls == 2:
                raise RuntimeError("corrupt frame")
            return self.inner(x)

    model = FailsOnSecondBatch()
    seen = visible.record_forward_state(model.inner)
    model.train()
    with pytest.raises(RuntimeError, match="corrupt frame"):
        ex.evaluate(model, visible.make_loader())
    assert seen and not seen[0][0], "the first forward pass ran in training mode: call model.eval() first"
    assert model.training, (
        "a forward pass raised and the model was left in eval mode: restore the caller's mode in a `finally:`")


def test_random_models_match_the_eval_mode_reference(ex):
    for seed in range(3):
        model, loader = visible.make_model(), visible.make_loader(9, 4, seed=100 + seed)
        with torch.no_grad():
            model[0].weight.copy_(randn(16, 6, seed=seed))
        expected = visible.reference_logits(model, loader)
        _, logits = ex.evaluate(model, loader)
        torch.testing.assert_close(logits, expected, atol=1e-5, rtol=1e-5)
