"""02_autograd/custom_function: SafeLog, StraightThroughSign and GradReverse, each with a hand-written backward."""

import copy

import pytest
import torch
from torch import nn

from helpers import assert_finite, assert_tensor_close, randn

NO_GRAD_FOR_LAMBDA = ("backward must return one gradient per forward input, and None for the Python float "
                      "lambda_: `return -ctx.lambda_ * grad_output, None`")


def grad_of(fn, x: torch.Tensor, upstream: torch.Tensor | None = None) -> torch.Tensor:
    """d(sum(upstream * fn(x))) / dx for a fresh leaf copy of x."""
    leaf = x.detach().clone().requires_grad_()
    out = fn(leaf)
    out.backward(torch.ones_like(out) if upstream is None else upstream)
    return leaf.grad


def count_saved_tensors(fn, x: torch.Tensor) -> tuple[int, int]:
    """How many tensors fn's forward saves through ctx.save_for_backward, and how many backward reads back.

    Saved-tensor hooks see exactly the tensors that go through save_for_backward; tensors kept as plain ctx
    attributes bypass them (and bypass autograd's in-place checks too).
    """
    packed, unpacked = [], []

    def pack(tensor):
        packed.append(tensor)
        return tensor

    def unpack(tensor):
        unpacked.append(tensor)
        return tensor

    leaf = x.detach().clone().requires_grad_()
    with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
        out = fn(leaf * 1.0)
    out.sum().backward()
    return len(packed), len(unpacked)


def reference_ste(x: torch.Tensor) -> torch.Tensor:
    """sign(x) forward, gradient 1 where |x| <= 1: built from ordinary ops, as a reference."""
    return torch.sign(x).detach() + (x - x.detach()) * (x.abs() <= 1).to(x.dtype)


# ---- SafeLog ---------------------------------------------------------------------------------------------


def test_safelog_forward_clamps(ex):
    x = torch.tensor([0.5, 1.0, 2.0, 0.0, -1.0])
    out = ex.SafeLog.apply(x)
    expected = torch.log(torch.tensor([0.5, 1.0, 2.0, 1e-6, 1e-6]))
    assert_tensor_close(out, expected, atol=1e-6, rtol=1e-6, what="SafeLog.apply(x) for x = (0.5, 1, 2, 0, -1)",
                        hint="forward is log(max(x, eps)) with eps = 1e-6 by default")


def test_safelog_passes_gradcheck_in_float64(ex):
    x = (torch.rand(6, generator=torch.Generator().manual_seed(1), dtype=torch.float64) * 3 + 0.2).requires_grad_()
    assert torch.autograd.gradcheck(lambda t: ex.SafeLog.apply(t), (x,), eps=1e-6, atol=1e-6, raise_exception=False), (
        "gradcheck failed: SafeLog's backward does not match the numerical derivative of log(x) for x > eps "
        "(expected grad_output / x there)")


def test_safelog_backward_by_hand(ex):
    x = torch.tensor([0.5, 2.0, 0.0, -1.0])
    upstream = torch.tensor([1.0, 3.0, 1.0, 1.0])
    grad = grad_of(ex.SafeLog.apply, x, upstream)
    assert_finite(grad, what="SafeLog's gradient at x = (0.5, 2, 0, -1)",
                  hint="masking grad / x with a multiply turns 1/0 = inf into 0 * inf = NaN: use torch.where, "
                       "or divide by x clamped to eps")
    assert_tensor_close(grad, torch.tensor([2.0, 1.5, 0.0, 0.0]), atol=1e-6, rtol=1e-6,
                        what="SafeLog's gradient at x = (0.5, 2, 0, -1) with upstream (1, 3, 1, 1)",
                        hint="grad_output / x where x >= eps, exactly 0 where the clamp is active")


def test_safelog_inside_a_loss_module_handles_zero_probabilities(ex):
    class ProbabilityNLL(nn.Module):
        def forward(self, probs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
            return -ex.SafeLog.apply(probs.gather(1, targets[:, None])).mean()

    logits = torch.tensor([[2.0, -200.0, 0.5], [0.1, 0.2, 0.3]], requires_grad=True)
    targets = torch.tensor([1, 2])  # the first target has probability exactly 0 in float32
    loss = ProbabilityNLL()(torch.softmax(logits, dim=1), targets)
    loss.backward()
    reference_logits = logits.detach().clone().requires_grad_()
    probs = torch.softmax(reference_logits, dim=1).gather(1, targets[:, None])
    reference = -torch.log(probs.clamp(min=1e-6)).mean()
    reference.backward()
    assert_finite(logits.grad, what="gradient of the logits through SafeLog",
                  hint="SafeLog's backward produced inf/NaN at probability 0")
    assert_tensor_close(loss, reference.detach(), atol=1e-5, rtol=1e-5, what="the loss through SafeLog")
    assert_tensor_close(logits.grad, reference_logits.grad, atol=1e-6, rtol=1e-5,
                        what="gradient of the logits through SafeLog",
                        hint="grad_output / x where x >= eps, 0 where clamped")


# ---- StraightThroughSign ---------------------------------------------------------------------------------


def test_ste_forward_is_sign(ex):
    x = torch.tensor([-2.0, -0.5, 0.0, 0.3, 1.5])
    out = ex.StraightThroughSign.apply(x)
    assert_tensor_close(out, torch.tensor([-1.0, -1.0, 0.0, 1.0, 1.0]), atol=0, rtol=0,
                        what="StraightThroughSign.apply(x)", hint="forward is torch.sign(x)")


def test_ste_backward_is_clipped_identity(ex):
    x = torch.tensor([-2.0, -0.5, 0.0, 0.3, 1.5])
    upstream = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0])
    grad = grad_of(ex.StraightThroughSign.apply, x, upstream)
    assert_tensor_close(grad, torch.tensor([0.0, 2.0, 3.0, 4.0, 0.0]), atol=0, rtol=0,
                        what="StraightThroughSign's gradient at x = (-2, -0.5, 0, 0.3, 1.5), upstream (1, 2, 3, 4, 5)",
                        hint="pass grad_output through where |x| <= 1 and zero it where |x| > 1 (the clip); "
                             "the true derivative of sign (zero) would stop all learning")


def test_ste_inside_a_binarised_network(ex):
    class BinaryMLP(nn.Module):
        def __init__(self, sign) -> None:
            super().__init__()
            self.fc1 = nn.Linear(4, 6)
            self.fc2 = nn.Linear(6, 2)
            self.sign = sign

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.fc2(self.sign(self.fc1(x)))

    torch.manual_seed(0)
    model = BinaryMLP(ex.StraightThroughSign.apply)
    with torch.no_grad():
        model.fc1.weight.mul_(4)  # pre-activations on both sides of |x| = 1
    reference = copy.deepcopy(model)
    reference.sign = reference_ste
    x, target = randn(8, 4, seed=2), torch.tensor([0, 1, 1, 0, 1, 0, 0, 1])
    for net in (model, reference):
        nn.functional.cross_entropy(net(x), target).backward()
    assert model.fc1.weight.grad is not None and model.fc1.weight.grad.abs().sum() > 0, (
        "no gradient reached the layer before StraightThroughSign: its backward must pass grad_output through")
    assert_tensor_close(model.fc1.weight.grad, reference.fc1.weight.grad, atol=1e-6, rtol=1e-5,
                        what="fc1.weight.grad through StraightThroughSign",
                        hint="the straight-through gradient is grad_output where |x| <= 1, 0 elsewhere")


# ---- GradReverse -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lambda_", [0.5, 2.0])
def test_grad_reverse_by_hand(ex, lambda_):
    x = randn(2, 3, seed=3)
    upstream = randn(2, 3, seed=4)
    try:
        out = ex.GradReverse.apply(x, lambda_)
        grad = grad_of(lambda t: ex.GradReverse.apply(t, lambda_), x, upstream)
    except RuntimeError as err:
        if "not a Variable" in str(err) or "incorrect number of gradients" in str(err):
            pytest.fail(f"GradReverse's backward raised {err}; {NO_GRAD_FOR_LAMBDA}", pytrace=False)
        raise
    assert_tensor_close(out, x, atol=0, rtol=0, what="GradReverse forward", hint="forward returns x's values unchanged")
    assert_tensor_close(grad, -lambda_ * upstream, atol=1e-6, rtol=1e-6,
                        what=f"GradReverse gradient with lambda_={lambda_}",
                        hint="backward returns -lambda_ * grad_output")


def test_grad_reverse_returns_none_for_lambda(ex):
    x = torch.ones(3, requires_grad=True)
    try:
        ex.GradReverse.apply(x, 0.25).sum().backward()
    except RuntimeError as err:
        pytest.fail(f"backward raised: {err}\n  likely cause: {NO_GRAD_FOR_LAMBDA}", pytrace=False)
    assert_tensor_close(x.grad, torch.full((3,), -0.25), atol=1e-7, rtol=0, what="x.grad through GradReverse(0.25)")


def test_grad_reverse_inside_a_domain_adversarial_model(ex):
    class DomainClassifier(nn.Module):
        def __init__(self, lambda_: float | None) -> None:
            super().__init__()
            self.features = nn.Linear(5, 4)
            self.domain_head = nn.Linear(4, 2)
            self.lambda_ = lambda_

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            features = torch.tanh(self.features(x))
            if self.lambda_ is not None:
                features = ex.GradReverse.apply(features, self.lambda_)
            return self.domain_head(features)

    torch.manual_seed(0)
    reversed_model = DomainClassifier(0.7)
    plain_model = copy.deepcopy(reversed_model)
    plain_model.lambda_ = None
    x, domain = randn(6, 5, seed=5), torch.tensor([0, 1, 0, 1, 1, 0])
    outputs = {}
    for name, model in (("reversed", reversed_model), ("plain", plain_model)):
        outputs[name] = model(x)
        nn.functional.cross_entropy(outputs[name], domain).backward()
    assert_tensor_close(outputs["reversed"], outputs["plain"].detach(), atol=0, rtol=0,
                        what="outputs with GradReverse in the model", hint="GradReverse must not change values")
    assert_tensor_close(reversed_model.domain_head.weight.grad, plain_model.domain_head.weight.grad, atol=1e-7, rtol=0,
                        what="domain_head.weight.grad (after GradReverse, unaffected)")
    assert_tensor_close(reversed_model.features.weight.grad, -0.7 * plain_model.features.weight.grad, atol=1e-7,
                        rtol=1e-6, what="features.weight.grad (before GradReverse)",
                        hint="everything upstream of GradReverse receives -lambda_ times its usual gradient")


# ---- every Function --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["SafeLog", "StraightThroughSign"])
def test_tensors_go_through_save_for_backward(ex, name):
    fn = getattr(ex, name).apply
    packed, unpacked = count_saved_tensors(fn, torch.tensor([0.5, 2.0, -0.3]))
    assert packed >= 1, (
        f"{name} saved no tensor with ctx.save_for_backward; tensors stored as ctx attributes (ctx.x = x) escape "
        "autograd's in-place checks and saved-tensor hooks and can leak memory: call ctx.save_for_backward(x) in "
        "forward and read ctx.saved_tensors in backward")
    assert unpacked >= 1, f"{name}'s backward never read ctx.saved_tensors"


@pytest.mark.parametrize("name", ["SafeLog", "StraightThroughSign"])
def test_two_calls_in_flight_keep_their_own_inputs(ex, name):
    fn = getattr(ex, name).apply
    first, second = torch.tensor([0.5, 4.0, -3.0]), torch.tensor([2.0, 0.25, 0.5])
    leaf_a, leaf_b = first.clone().requires_grad_(), second.clone().requires_grad_()
    out_a = fn(leaf_a)
    out_b = fn(leaf_b)  # a second forward before the first backward
    out_a.sum().backward()
    out_b.sum().backward()
    assert_tensor_close(leaf_a.grad, grad_of(fn, first), atol=1e-6, rtol=1e-6,
                        what=f"{name}: gradient of the first of two calls",
                        hint="state kept outside ctx (a class or global attribute) was overwritten by the second call")
    assert_tensor_close(leaf_b.grad, grad_of(fn, second), atol=1e-6, rtol=1e-6,
                        what=f"{name}: gradient of the second of two calls")
