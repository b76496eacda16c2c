"""08_debugging/stable_loss_bug: log(sigmoid(x)) and BCE that stay finite and correct at confident logits."""

import torch
import torch.nn.functional as F

from helpers import assert_finite, assert_tensor_close

LOGITS = [-200.0, -50.0, -5.0, 0.0, 5.0, 50.0, 200.0]


def bce_case() -> tuple[torch.Tensor, torch.Tensor]:
    """Confidently right, confidently wrong, unsure and soft-labelled examples."""
    logits = torch.tensor([-200.0, -30.0, 0.0, 3.0, 200.0, 200.0, -7.0])
    targets = torch.tensor([0.0, 1.0, 0.5, 1.0, 0.0, 1.0, 0.25])
    return logits, targets


def test_log_sigmoid_is_finite_and_correct_at_large_logits(ex):
    x = torch.tensor(LOGITS)
    out = ex.log_sigmoid(x)
    expected = F.logsigmoid(x.double()).float()
    assert_finite(out, what=f"log_sigmoid({LOGITS})",
                  hint="sigmoid(-200) underflows to 0 in float32, and log(0) is -inf")
    assert_tensor_close(out, expected, atol=1e-5, rtol=1e-6, what=f"log_sigmoid({LOGITS})",
                        hint="log(sigmoid(-200)) is -200, not a clamped or eps-shifted value")


def test_log_sigmoid_gradients_are_finite_and_correct(ex):
    x = torch.tensor(LOGITS, requires_grad=True)
    ex.log_sigmoid(x).sum().backward()
    expected = torch.sigmoid(-x.detach())  # d/dx log(sigmoid(x)) = 1 - sigmoid(x)
    assert_finite(x.grad, what="gradient of log_sigmoid at large logits",
                  hint="autograd through log(sigmoid(x)) computes inf * 0 = NaN where sigmoid underflows")
    assert_tensor_close(x.grad, expected, atol=1e-6, rtol=1e-5, what=f"gradient of log_sigmoid at {LOGITS}",
                        hint="d/dx log(sigmoid(x)) = sigmoid(-x): 1 at -200, 0.5 at 0; a clamp or eps makes it 0 at "
                             "-200, and x.clamp(max=0) in a hand-written formula gives 1 at the kink x = 0")


def test_bce_matches_the_reference_at_confident_logits(ex):
    logits, targets = bce_case()
    loss = ex.binary_cross_entropy(logits, targets)
    expected = F.binary_cross_entropy_with_logits(logits.double(), targets.double()).float()
    assert_finite(loss, what="binary_cross_entropy at logits of +-200",
                  hint="1 - sigmoid(200) rounds to 0, and 0 * log(0) is NaN; note 1 - sigmoid(x) == sigmoid(-x)")
    assert_tensor_close(loss, expected, atol=1e-4, rtol=1e-5, what="binary_cross_entropy",
                        hint="a confident wrong answer (logit 200, target 0) must cost 200, not a capped amount")


def test_bce_gradients_are_finite_and_correct(ex):
    logits, targets = bce_case()
    logits.requires_grad_(True)
    ex.binary_cross_entropy(logits, targets).backward()
    expected = (torch.sigmoid(logits.detach()) - targets) / logits.numel()
    assert_finite(logits.grad, what="gradient of binary_cross_entropy at logits of +-200")
    assert_tensor_close(logits.grad, expected, atol=1e-6, rtol=1e-5, what="gradient of binary_cross_entropy",
                        hint="d(loss)/d(logit) is (sigmoid(logit) - target) / N; a clamp makes it 0 where it matters")
