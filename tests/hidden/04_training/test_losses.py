"""04_training/losses, hidden: more gammas, alphas and shapes, gradcheck, weights by hand, logits of +-100."""

import math

import pytest
import torch
import torch.nn.functional as F
from torchvision.ops import sigmoid_focal_loss

from helpers import assert_finite, assert_tensor_close, visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("gamma,alpha,shape", [(0.5, None, (7,)), (1.0, 0.5, (4, 5)), (3.0, 0.9, (2, 3, 4)),
                                              (2.0, 0.0, (3, 4)), (1.5, 0.7, (6,))])
def test_focal_other_settings_match_torchvision(ex, gamma, alpha, shape):
    logits, targets = visible.binary_batch(shape, seed=10)
    loss = ex.FocalLoss(gamma=gamma, alpha=alpha)(logits, targets)
    want = sigmoid_focal_loss(logits, targets, -1 if alpha is None else alpha, gamma, reduction="mean")
    assert_tensor_close(loss, want, atol=1e-6, rtol=1e-5, what=f"FocalLoss(gamma={gamma}, alpha={alpha}) on {shape}",
                        hint="alpha_t = alpha for positives, 1 - alpha for negatives; alpha=0.0 is a weight like any "
                             "other (test `alpha is None`, not `if alpha:`)")


def test_focal_gradcheck_in_float64(ex):
    logits, targets = visible.binary_batch((3, 2), seed=11)
    logits = logits.double().requires_grad_(True)
    focal = ex.FocalLoss(gamma=2.0, alpha=0.25)
    assert torch.autograd.gradcheck(lambda x: focal(x, targets.double()), (logits,), eps=1e-6, atol=1e-5), (
        "FocalLoss gradients disagree with finite differences")


def test_focal_down_weights_easy_examples(ex):
    easy = ex.FocalLoss(gamma=2.0, alpha=None)(torch.tensor([4.0]), torch.tensor([1.0]))
    hard = ex.FocalLoss(gamma=2.0, alpha=None)(torch.tensor([-4.0]), torch.tensor([1.0]))
    bce_ratio = F.softplus(torch.tensor(4.0)) / F.softplus(torch.tensor(-4.0))
    assert float(hard / easy) > 100 * float(bce_ratio), (
        f"expected the focal term to shrink an easy example's loss far more than a hard one's; hard/easy ratio "
        f"{float(hard / easy):.1f} vs BCE's {float(bce_ratio):.1f}")


@pytest.mark.parametrize("targets", ["bool", "float"])
def test_multilabel_other_target_dtypes_and_extremes(ex, targets):
    logits = visible.EXTREME_LOGITS.clone().requires_grad_(True)
    target = visible.EXTREME_TARGETS.bool() if targets == "bool" else visible.EXTREME_TARGETS
    loss = ex.multilabel_loss(logits, target)
    loss.backward()
    assert_finite(loss, what=f"multilabel_loss at logits +-100 ({targets} targets)",
                  hint="use binary_cross_entropy_with_logits, not sigmoid() then log()")
    assert_finite(logits.grad, what="gradient of multilabel_loss at logits +-100")
    want = F.binary_cross_entropy_with_logits(visible.EXTREME_LOGITS, visible.EXTREME_TARGETS)
    assert_tensor_close(loss, want, atol=1e-4, rtol=1e-5, what="multilabel_loss at logits +-100")


def test_weighted_ce_by_hand(ex):
    # two samples, counts 90 : 10. Each sample's loss is weighted by 1 / count of its class; the mean divides
    # by the sum of the weights used.
    logits = torch.tensor([[2.0, 0.0], [1.0, 0.5]])
    targets = torch.tensor([0, 1])
    loss_0 = math.log(1 + math.exp(-2.0))
    loss_1 = math.log(1 + math.exp(0.5))
    want = (loss_0 / 90 + loss_1 / 10) / (1 / 90 + 1 / 10)
    got = ex.weighted_ce(logits, targets, torch.tensor([90.0, 10.0]))
    assert abs(float(got) - want) < 1e-5, (
        f"expected the weighted mean (l0/90 + l1/10) / (1/90 + 1/10) = {want:.6f}, got {float(got):.6f}; weights "
        "must be inversely proportional to the counts")


def test_weighted_ce_is_stable_at_extreme_logits(ex, device):
    logits = torch.tensor([[100.0, -100.0, 0.0], [-100.0, 100.0, -100.0]], device=device, requires_grad=True)
    targets = torch.tensor([1, 2], device=device)
    loss = ex.weighted_ce(logits, targets, torch.tensor([5, 3, 2]))
    loss.backward()
    assert_finite(loss, what="weighted_ce at logits +-100", hint="cross_entropy on logits, never log(softmax(...))")
    assert_finite(logits.grad, what="gradient of weighted_ce at logits +-100")
    want = F.cross_entropy(logits.detach(), targets, weight=torch.tensor([1 / 5, 1 / 3, 1 / 2], device=device))
    assert_tensor_close(loss, want, atol=1e-4, rtol=1e-5, what="weighted_ce at logits +-100",
                        hint="softmax outputs passed to cross_entropy get softmaxed twice")


@pytest.mark.parametrize("dtype", [torch.int32, torch.float64])
def test_weighted_ce_counts_of_another_dtype(ex, dtype):
    logits = 2 * visible.randn(7, 4, seed=12)
    targets = torch.tensor([0, 1, 1, 2, 3, 3, 3])
    counts = torch.tensor([1, 2, 1, 3], dtype=dtype)
    try:
        loss = ex.weighted_ce(logits, targets, counts)
    except RuntimeError as err:
        raise AssertionError(f"weighted_ce with {dtype} counts and float32 logits raised: {err}; likely cause: the "
                             "weights kept the counts' dtype: convert with .to(logits.dtype)") from None
    want = F.cross_entropy(logits, targets, weight=1.0 / torch.tensor([1.0, 2.0, 1.0, 3.0]))
    assert_tensor_close(loss, want, atol=1e-6, rtol=1e-5, what=f"weighted_ce with {dtype} counts [1, 2, 1, 3]")


def test_weighted_ce_moves_cpu_counts_to_the_logits_device(ex):
    """The meta device shows, without a GPU, weights left on the CPU while the logits live elsewhere."""
    logits = torch.zeros(5, 3, device="meta", requires_grad=True)
    targets = torch.zeros(5, dtype=torch.long, device="meta")
    try:
        loss = ex.weighted_ce(logits, targets, torch.tensor([4, 2, 1]))
    except RuntimeError as err:
        raise AssertionError(f"weighted_ce with logits on another device than the counts (the CPU) raised: {err}; "
                             "likely cause: move the weights with .to(logits.device)") from None
    assert loss.shape == () and loss.device == logits.device, (
        f"expected a 0-dim loss on the logits' device ({logits.device}), got shape {tuple(loss.shape)} on "
        f"{loss.device}")


def test_focal_defaults_are_gamma_2_and_alpha_a_quarter(ex):
    logits, targets = visible.binary_batch((6, 3), seed=13)
    loss = ex.FocalLoss()(logits, targets)
    want = sigmoid_focal_loss(logits, targets, 0.25, 2.0, reduction="mean")
    assert_tensor_close(loss, want, atol=1e-6, rtol=1e-5, what="FocalLoss() with its default settings",
                        hint="the defaults are FocalLoss(gamma=2.0, alpha=0.25), as in the stub's signature")
