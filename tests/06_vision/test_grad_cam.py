"""06_vision/grad_cam: the heat map sits on the evidence, equals the definition, and leaves the model as it was."""

import torch
import torch.nn.functional as F
from torch import nn

from helpers import assert_no_graph, assert_no_hooks_left, assert_shape, assert_tensor_close, randn

BRIGHT, DARK = (3, 3), (8, 9)  # where the evidence for class 0 and class 1 is painted


class EvidenceNet(nn.Module):
    """Hand-set weights. Channel 0 of ``features`` lights up on bright pixels, channel 1 on dark ones; class 0's
    logit is the mean of channel 0 minus half of channel 1, class 1's the other way round."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1, bias=False), nn.ReLU())
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Linear(2, 2, bias=False)
        with torch.no_grad():
            self.features[0].weight.zero_()
            self.features[0].weight[0, 0, 1, 1] = 1.0   # bright-pixel detector
            self.features[0].weight[1, 0, 1, 1] = -1.0  # dark-pixel detector
            self.head.weight.copy_(torch.tensor([[1.0, -0.5], [-0.5, 1.0]]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(torch.flatten(self.pool(self.features(x)), 1))


def evidence_image(bright=BRIGHT, dark=DARK, size=12) -> torch.Tensor:
    """A bright spot (strong, +2) and a dark spot (weaker, -1) on a zero background."""
    image = torch.zeros(1, 1, size, size)
    image[0, 0, bright[0], bright[1]] = 2.0
    image[0, 0, dark[0], dark[1]] = -1.0
    return image


class TinyNet(nn.Module):
    """Random weights, with a ReLU after ``features`` so each image's gradients depend on the image."""

    def __init__(self, seed: int = 0) -> None:
        super().__init__()
        torch.manual_seed(seed)
        self.features = nn.Sequential(
            nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 6, 3, padding=1), nn.ReLU()
        )
        self.head = nn.Sequential(nn.Conv2d(6, 5, 1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(5, 3))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


def reference_cam(model: TinyNet, x: torch.Tensor, class_idx) -> torch.Tensor:
    """The definition, with the layer output made a leaf by hand."""
    activations = model.features(x).detach().requires_grad_()
    logits = model.head(activations)
    index = torch.as_tensor(class_idx).expand(x.shape[0])
    (gradients,) = torch.autograd.grad(logits[torch.arange(x.shape[0]), index].sum(), activations)
    return F.relu((gradients.mean(dim=(2, 3), keepdim=True) * activations).sum(dim=1)).detach()


def peak(cam: torch.Tensor) -> tuple[int, int]:
    row, col = divmod(int(cam.argmax()), cam.shape[-1])
    return row, col


def run(ex, model, layer, x, class_idx) -> torch.Tensor:
    cam = ex.grad_cam(model, layer, x, class_idx)
    assert_no_graph(cam, what="Grad-CAM map", hint="return the map detached")
    return cam


def test_heat_map_peaks_on_the_evidence_for_each_class(ex):
    model = EvidenceNet().eval()
    x = evidence_image()
    for class_idx, evidence, other in [(0, BRIGHT, DARK), (1, DARK, BRIGHT)]:
        cam = run(ex, model, model.features, x, class_idx)
        assert_shape(cam, (1, 12, 12), what=f"map for class {class_idx}", hint="one (h, w) map per image, no channels")
        assert peak(cam[0]) == evidence, (
            f"class {class_idx}: the heat map peaks at {peak(cam[0])}, its evidence is at {evidence}; likely cause: "
            "the channels are not weighted by the gradient of this class's score (or the wrong class was used)")
        assert cam.min() >= 0, (
            f"class {class_idx}: the map has negative values ({cam.min().item():.3g}): Grad-CAM keeps positive "
            "evidence only, apply relu after the weighted sum")
        assert cam[0][other] == 0, f"class {class_idx}: the evidence against it at {other} must be cut to 0 by relu"


def test_values_follow_the_definition(ex):
    model = TinyNet()
    x = randn(2, 3, 6, 7, seed=1)
    cam = run(ex, model, model.features, x, 2)
    assert_tensor_close(cam, reference_cam(model, x, 2), atol=1e-6, rtol=1e-4, what="Grad-CAM map",
                        hint="alpha[n, k] is the mean of d logit / d A over the (h, w) positions of image n, channel k")


def test_parameter_grads_are_untouched_and_hooks_removed(ex):
    model = EvidenceNet()
    pending = torch.full_like(model.head.weight, 7.0)
    model.head.weight.grad = pending.clone()  # the caller's pending gradient
    run(ex, model, model.features, evidence_image(), 0)
    filled = model.features[0].weight.grad is not None
    assert not filled, (
        "grad_cam filled the conv weight's .grad: backward() accumulates into every parameter; "
        "use torch.autograd.grad(score, activations), which returns only the gradient you ask for")
    kept = model.head.weight.grad is not None and torch.equal(model.head.weight.grad, pending)
    assert kept, (
        "grad_cam changed a gradient the caller had stored in .grad (zeroing it afterwards is no fix either)")
    assert_no_hooks_left(model, when="after grad_cam")
