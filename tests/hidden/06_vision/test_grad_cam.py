"""06_vision/grad_cam, hidden: per-image classes, other layers, no_grad callers, raising forwards, moved evidence."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from helpers import assert_tensor_close, randn, visible_tests

visible = visible_tests(__file__)


def reference_at(model, split: int, x: torch.Tensor, class_idx) -> torch.Tensor:
    """Grad-CAM at model.features[split] (its output is A) by running the model in two pieces."""
    activations = model.features[:split + 1](x).detach().requires_grad_()
    logits = model.head(model.features[split + 1:](activations))
    index = torch.as_tensor(class_idx).expand(x.shape[0])
    (gradients,) = torch.autograd.grad(logits[torch.arange(x.shape[0]), index].sum(), activations)
    return F.relu((gradients.mean(dim=(2, 3), keepdim=True) * activations).sum(dim=1)).detach()


def test_one_class_per_image(ex):
    model = visible.EvidenceNet().eval()
    x = torch.cat([visible.evidence_image(), visible.evidence_image()])
    cam = visible.run(ex, model, model.features, x, torch.tensor([0, 1]))
    assert visible.peak(cam[0]) == visible.BRIGHT and visible.peak(cam[1]) == visible.DARK, (
        f"with class_idx=[0, 1] the maps peak at {visible.peak(cam[0])} and {visible.peak(cam[1])}, expected "
        f"{visible.BRIGHT} and {visible.DARK}: each image's map must use its own class and its own gradients "
        "(average the gradient over (h, w) only, never over the batch)")


def test_batch_with_per_image_classes_matches_the_definition(ex):
    model = visible.TinyNet(seed=3)
    x = randn(3, 3, 5, 6, seed=2)
    classes = torch.tensor([2, 0, 1])
    cam = visible.run(ex, model, model.features, x, classes)
    assert_tensor_close(cam, visible.reference_cam(model, x, classes), atol=1e-6, rtol=1e-4, what="batch Grad-CAM",
                        hint="alpha must be computed per image: mean over dims (2, 3) only")


@pytest.mark.parametrize("split", [0, 1, 2])
def test_other_layers(ex, split):
    model = visible.TinyNet(seed=4)
    x = randn(2, 3, 6, 6, seed=5)
    cam = visible.run(ex, model, model.features[split], x, 1)
    assert_tensor_close(cam, reference_at(model, split, x, 1), atol=1e-6, rtol=1e-4,
                        what=f"Grad-CAM at features[{split}]")


def test_works_under_no_grad_and_keeps_the_mode(ex):
    model = visible.TinyNet(seed=6).train()
    x = randn(1, 3, 5, 5, seed=7)
    with torch.no_grad():
        cam = visible.run(ex, model, model.features, x, 0)
        assert not torch.is_grad_enabled(), "grad_cam left autograd switched on for a caller in torch.no_grad()"
    assert_tensor_close(cam, visible.reference_cam(model, x, 0), atol=1e-6, rtol=1e-4, what="map under no_grad",
                        hint="wrap the forward pass in torch.enable_grad()")
    assert model.training, "grad_cam changed the caller's train mode"


def test_hooks_removed_when_the_forward_raises(ex):
    model = visible.TinyNet()

    def explode(module, inputs, output):
        raise RuntimeError("corrupt frame")

    ours = model.head.register_forward_hook(explode)
    with pytest.raises(RuntimeError, match="corrupt frame"):
        ex.grad_cam(model, model.features, randn(1, 3, 5, 5, seed=8), 0)
    ours.remove()
    visible.assert_no_hooks_left(model, when="after a forward pass that raised")


def test_no_grads_anywhere_afterwards(ex):
    model = visible.TinyNet()
    x = randn(2, 3, 5, 5, seed=9).requires_grad_()
    visible.run(ex, model, model.features, x, 1)
    filled = [name for name, p in model.named_parameters() if p.grad is not None]
    assert not filled and x.grad is None, (
        f"grad_cam left gradients in {filled or ['x']}.grad; torch.autograd.grad(score, activations) fills no .grad")


@pytest.mark.parametrize("bright,dark", [((0, 0), (11, 11)), ((10, 2), (1, 9)), ((6, 6), (6, 7))])
def test_moved_evidence(ex, bright, dark):
    model = visible.EvidenceNet().eval()
    x = visible.evidence_image(bright, dark)
    assert visible.peak(visible.run(ex, model, model.features, x, 0)[0]) == bright
    assert visible.peak(visible.run(ex, model, model.features, x, 1)[0]) == dark


class TrainShift(nn.Module):
    """Deterministic and mode-dependent (unlike dropout): shifts by -0.5 in train mode only."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x - 0.5 if self.training else x


class ModeNet(visible.TinyNet):
    def __init__(self, seed: int = 0) -> None:
        super().__init__(seed)
        self.head = nn.Sequential(nn.Conv2d(6, 5, 1), TrainShift(), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                                  nn.Flatten(), nn.Linear(5, 3))


@pytest.mark.parametrize("train", [True, False])
def test_the_map_is_computed_in_the_callers_mode(ex, train):
    model = ModeNet(seed=12).train(train)
    x = randn(2, 3, 5, 5, seed=13)
    cam = visible.run(ex, model, model.features, x, 2)
    mode = "train" if train else "eval"
    assert model.training == train and all(m.training == train for m in model.modules()), (
        f"grad_cam changed the mode of a model the caller put in {mode} mode")
    assert_tensor_close(cam, visible.reference_cam(model, x, 2), atol=1e-6, rtol=1e-4,
                        what=f"Grad-CAM of a model in {mode} mode whose head behaves differently in train mode",
                        hint="use the model in the mode the caller put it in: no model.eval() or model.train() "
                             "inside grad_cam, even if the mode is restored afterwards")
