"""04_training/losses: focal loss as torchvision's, multi-label BCE, inverse-frequency weights, logits of +-100."""

import torch
import torch.nn.functional as F
from torchvision.ops import sigmoid_focal_loss

from helpers import assert_finite, assert_shape, assert_tensor_close, randn

EXTREME_LOGITS = torch.tensor([[100.0, -100.0], [-100.0, 100.0], [100.0, 100.0]])
EXTREME_TARGETS = torch.tensor([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]])  # mostly confident mistakes


def binary_batch(shape: tuple[int, ...], seed: int, device="cpu") -> tuple[torch.Tensor, torch.Tensor]:
    logits = 3 * randn(*shape, seed=seed, device=device)
    targets = (randn(*shape, seed=seed + 1000) > 0.5).float().to(device)
    return logits, targets


def loss_and_grad(fn, logits: torch.Tensor, *args) -> tuple[torch.Tensor, torch.Tensor]:
    logits = logits.detach().clone().requires_grad_(True)
    loss = fn(logits, *args)
    assert_shape(loss, (), what="loss", hint="reduce to a single 0-dim tensor (the mean)")
    loss.backward()
    return loss, logits.grad


def test_focal_with_gamma_zero_is_bce_with_logits(ex, device):
    logits, targets = binary_batch((8, 3), seed=1, device=device)
    loss = ex.FocalLoss(gamma=0.0, alpha=None)(logits, targets)
    assert_tensor_close(loss, F.binary_cross_entropy_with_logits(logits, targets), atol=1e-6, rtol=1e-5,
                        what="FocalLoss(gamma=0, alpha=None)",
                        hint="with gamma 0 the modulating factor is 1 and alpha=None adds no weight: plain BCE "
                             "with logits, averaged over all elements")


def test_focal_matches_torchvision(ex, device):
    logits, targets = binary_batch((8, 3), seed=2, device=device)
    loss, grad = loss_and_grad(ex.FocalLoss(gamma=2.0, alpha=0.25), logits, targets)
    want, want_grad = loss_and_grad(lambda x, t: sigmoid_focal_loss(x, t, 0.25, 2.0, reduction="mean"), logits, targets)
    hint = ("loss = alpha_t * (1 - p_t)**gamma * bce, with alpha_t = alpha for positives and 1 - alpha for negatives "
            "(a single constant alpha for every element is the common slip)")
    assert_tensor_close(loss, want, atol=1e-6, rtol=1e-5, what="FocalLoss(gamma=2, alpha=0.25)", hint=hint)
    assert_tensor_close(grad, want_grad, atol=1e-7, rtol=1e-4, what="gradient of FocalLoss w.r.t. logits", hint=hint)


def test_focal_is_stable_at_extreme_logits(ex):
    loss, grad = loss_and_grad(ex.FocalLoss(), EXTREME_LOGITS, EXTREME_TARGETS)
    hint = ("sigmoid() then log() gives log(0) = -inf for a confident mistake; build on "
            "binary_cross_entropy_with_logits, which works in log space")
    assert_finite(loss, what="FocalLoss at logits +-100", hint=hint)
    assert_finite(grad, what="gradient of FocalLoss at logits +-100", hint=hint)
    want, want_grad = loss_and_grad(lambda x, t: sigmoid_focal_loss(x, t, 0.25, 2.0, reduction="mean"),
                                    EXTREME_LOGITS, EXTREME_TARGETS)
    assert_tensor_close(loss, want, atol=1e-4, rtol=1e-5, what="FocalLoss at logits +-100", hint=hint)
    assert_tensor_close(grad, want_grad, atol=1e-6, rtol=1e-4, what="gradient of FocalLoss at logits +-100",
                        hint="a confident mistake must still get a full gradient; sigmoid() followed by "
                             "binary_cross_entropy() saturates and returns 0 there")


def test_multilabel_loss_is_one_yes_no_question_per_class(ex, device):
    logits = 2 * randn(5, 4, seed=3, device=device)
    targets = torch.tensor([[1, 0, 1, 0], [0, 0, 0, 0], [1, 1, 1, 0], [0, 1, 0, 0], [1, 1, 1, 1]], device=device)
    loss = ex.multilabel_loss(logits, targets)  # integer multi-hot targets, as a dataset would store them
    assert_tensor_close(loss, F.binary_cross_entropy_with_logits(logits, targets.float()), atol=1e-6, rtol=1e-5,
                        what="multilabel_loss with int64 multi-hot targets",
                        hint="labels are not mutually exclusive: binary_cross_entropy_with_logits over every "
                             "(sample, class) with float targets, not a softmax cross-entropy across classes")


def test_weighted_ce_weights_classes_by_inverse_frequency(ex, device):
    logits = 2 * randn(9, 3, seed=4, device=device)
    targets = torch.tensor([0, 0, 0, 0, 0, 0, 1, 1, 2], device=device)
    counts = torch.tensor([600, 250, 50])  # from the training set, on the CPU
    loss = ex.weighted_ce(logits, targets, counts)
    want = F.cross_entropy(logits, targets, weight=(1.0 / counts.float()).to(device))
    assert_tensor_close(loss, want, atol=1e-6, rtol=1e-5, what="weighted_ce with counts [600, 250, 50]",
                        hint="weights proportional to 1 / count (rare classes weigh more), applied to "
                             "cross_entropy on the raw logits (never on softmax outputs), on the logits' device")
