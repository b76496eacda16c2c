"""02_autograd/frozen_gradients, hidden: other sizes, float64, frozen layers, graph-less losses, shared weights."""

import torch
from torch import nn

from helpers import assert_tensor_close, randn, visible_tests

visible = visible_tests(__file__)


def test_other_sizes_learn_everywhere(ex):
    model = visible.make_model(ex, seed=5, in_features=5, hidden=7, num_classes=3)
    x = randn(9, 5, seed=5)
    out = visible.quiet(model, x)
    assert tuple(out.shape) == (9, 3), f"expected outputs of shape (9, 3), got {tuple(out.shape)}"
    nn.functional.cross_entropy(out, torch.arange(9) % 3).backward()
    silent = [name for name, param in model.named_parameters() if param.grad is None or not bool(param.grad.any())]
    assert not silent, f"PedestrianNet(5, 7, 3): {silent} received no gradient; likely cause: {visible.CUT_HINT}"


def test_float64_model_passes_gradcheck(ex):
    model = visible.make_model(ex, seed=6).double()
    shapes = {name: tuple(param.shape) for name, param in model.named_parameters()}
    expected_shapes = {"stem.weight": (16, 8), "stem.bias": (16,), "body.weight": (16, 16), "body.bias": (16,),
                       "head.weight": (2, 16), "head.bias": (2,)}
    assert shapes == expected_shapes, (
        f"PedestrianNet() with its default sizes (8 -> 16 -> 16 -> 2): expected parameters {expected_shapes}, got "
        f"{shapes}; keep the layers and the constructor's defaults as they are")
    x = randn(3, 8, seed=6, dtype=torch.float64).requires_grad_()
    out = visible.quiet(model, x)
    assert out.dtype == torch.float64, f"a float64 model returned {out.dtype}: keep the model's own dtype"
    assert_tensor_close(out, visible.reference_forward(model, x), atol=1e-12, rtol=1e-12,
                        what="float64 PedestrianNet outputs", hint="keep what the model computes, in its own dtype")
    passed = torch.autograd.gradcheck(lambda t: visible.quiet(model, t), (x,), eps=1e-6, atol=1e-6,
                                      raise_exception=False)
    assert passed, ("gradcheck of the float64 model with respect to its input failed: the analytic gradient does "
                    f"not match finite differences; likely cause: {visible.CUT_HINT}")


def test_the_head_gets_features_in_its_own_dtype_and_on_its_own_device(ex):
    model = visible.make_model(ex, seed=10)
    model.head.double()  # kept in float64 for calibration, as the model's comment says
    x = randn(4, 8, seed=10) * 5
    out = visible.quiet(model, x)
    assert out.dtype == torch.float64, (
        f"with the head in float64, expected float64 outputs, got {out.dtype}; likely cause: the cast of the "
        "features to the head's dtype and device was dropped along with torch.tensor(...); keep it as h.to(...)")
    h = torch.relu(model.body(torch.clamp(model.stem(x), 0.0, 6.0)))
    assert_tensor_close(out, model.head(h.double()), atol=1e-12, rtol=1e-12, what="outputs with a float64 head")
    nn.functional.cross_entropy(out, torch.tensor([0, 1, 1, 0])).backward()
    silent = [name for name, param in model.named_parameters() if param.grad is None or not bool(param.grad.any())]
    assert not silent, f"with a float64 head, {silent} received no gradient; likely cause: {visible.CUT_HINT}"
    model.head.to("meta")  # a second device any CPU machine has: the outputs must follow the head there
    out = visible.quiet(model, x)
    assert out.device.type == "meta" and tuple(out.shape) == (4, 2), (
        f"with the head on the meta device, expected (4, 2) outputs on meta, got {tuple(out.shape)} on {out.device}; "
        "likely cause: the features are no longer moved to the head's device (keep h.to(device=...))")


def test_frozen_parameters_are_not_reported(ex):
    model, _ = visible.cut_model_loss()
    model.second.weight.requires_grad_(False)
    loss = nn.functional.cross_entropy(model(randn(6, 4, seed=2)), torch.tensor([0, 1, 1, 0, 1, 0]))
    dead = ex.dead_parameters(model, loss)
    assert dead == ["first.weight", "first.bias"], (
        f"expected ['first.weight', 'first.bias'], got {dead!r}: a parameter frozen on purpose "
        "(requires_grad=False) is not trainable, so it is not reported (and cannot be asked for a gradient)")


def test_a_loss_without_any_graph_means_everything_is_dead(ex):
    torch.manual_seed(7)
    model = nn.Sequential(nn.Linear(3, 2), nn.Linear(2, 1))
    loss = model(randn(4, 3, seed=7)).detach().pow(2).mean()
    dead = ex.dead_parameters(model, loss)
    assert dead == ["0.weight", "0.bias", "1.weight", "1.bias"], (
        f"the loss has no graph at all (requires_grad=False); expected every trainable parameter, got {dead!r}")


def test_shared_weights_are_listed_once_in_order(ex):
    torch.manual_seed(8)
    shared = nn.Linear(4, 4)
    unused = nn.Linear(4, 4)
    model = nn.ModuleDict({"encoder": shared, "spare": unused, "decoder": shared, "out": nn.Linear(4, 1)})
    x = randn(3, 4, seed=8)
    loss = model["out"](torch.tanh(model["decoder"](torch.tanh(model["encoder"](x))))).sum()
    dead = ex.dead_parameters(model, loss)
    assert dead == ["spare.weight", "spare.bias"], (
        f"expected ['spare.weight', 'spare.bias'] (never used; the tied encoder/decoder weights learn), got {dead!r}")


def test_dead_parameters_on_the_fixed_model_mid_step(ex):
    model = visible.make_model(ex, seed=9)
    inputs, labels = visible.toy_task(samples=16, seed=9)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(visible.quiet(model, inputs), labels)
    assert ex.dead_parameters(model, loss) == [], "the fixed model should have no dead parameters"
    untouched = all(param.grad is None for param in model.parameters())
    assert untouched, "dead_parameters() wrote into .grad: use torch.autograd.grad, which returns gradients"
    loss.backward()
    optimizer.step()
