"""02_autograd/frozen_gradients: every parameter must learn, and dead_parameters() must find the ones that can't."""

import copy
import warnings

import torch
from torch import nn

from helpers import assert_tensor_close, randn

CUT_HINT = ("the autograd graph is cut between this layer and the loss: a tensor that leaves torch "
            "(.numpy(), .tolist()), is rebuilt with torch.tensor(...), or goes through .detach() / .data carries "
            "the right values but no history")


def reference_forward(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """What PedestrianNet computes, written with ops autograd can follow."""
    h = torch.clamp(model.stem(x), 0.0, 6.0)
    h = torch.relu(model.body(h))
    return model.head(h)


def make_model(ex, seed: int = 0, **sizes) -> nn.Module:
    torch.manual_seed(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the unfixed model warns about torch.tensor(tensor)
        return ex.PedestrianNet(**sizes)


def toy_task(samples: int = 64, seed: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    """Pedestrian when two features agree in sign: not linearly separable, so the hidden layers must learn."""
    inputs = randn(samples, 8, seed=seed)
    labels = (inputs[:, 0] * inputs[:, 1] > 0).long()
    return inputs, labels


class CutModel(nn.Module):
    """A model with a deliberate cut: `first` is dead, `second` and `third` learn."""

    def __init__(self) -> None:
        super().__init__()
        self.first = nn.Linear(4, 5)
        self.second = nn.Linear(5, 5)
        self.third = nn.Linear(5, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.third(torch.tanh(self.second(torch.tanh(self.first(x)).detach())))


def cut_model_loss(seed: int = 2) -> tuple[nn.Module, torch.Tensor]:
    torch.manual_seed(seed)
    model = CutModel()
    loss = nn.functional.cross_entropy(model(randn(6, 4, seed=seed)), torch.tensor([0, 1, 1, 0, 1, 0]))
    return model, loss


def quiet(fn, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args)


def test_every_parameter_receives_a_nonzero_gradient(ex):
    model = make_model(ex)
    inputs, labels = toy_task()
    nn.functional.cross_entropy(quiet(model, inputs), labels).backward()
    for name, param in model.named_parameters():
        missing = param.grad is None
        assert not missing, f"{name} received no gradient (its .grad is None); likely cause: {CUT_HINT}"
        all_zero = not bool(param.grad.any())
        assert not all_zero, f"{name} received an all-zero gradient; likely cause: {CUT_HINT}"


def test_outputs_unchanged_and_inputs_get_gradients(ex):
    model = make_model(ex)
    x = (randn(5, 8, seed=3) * 10).requires_grad_()  # large inputs: some stem outputs lie above 6, some below 0
    out = quiet(model, x)
    expected = reference_forward(model, x)
    assert_tensor_close(out, expected, atol=1e-5, rtol=1e-5, what="PedestrianNet outputs",
                        hint="the fix must keep what the model computes (ReLU6 after stem, clipping at 0 and at 6; "
                             "ReLU after body)")
    has_history = out.grad_fn is not None
    assert has_history, "the model's output carries no autograd history"
    out.sum().backward()
    expected_grad = torch.autograd.grad(reference_forward(model, x).sum(), x)[0]
    reached_input = x.grad is not None
    assert reached_input, f"no gradient reached the model's input; likely cause: {CUT_HINT}"
    assert_tensor_close(x.grad, expected_grad, atol=1e-6, rtol=1e-5, what="gradient of the outputs' sum wrt the input",
                        hint=CUT_HINT)


def test_training_moves_every_layer_and_lowers_the_loss(ex):
    model = make_model(ex)
    reference = copy.deepcopy(model)
    initial = copy.deepcopy(model.state_dict())
    inputs, labels = toy_task()
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    reference_optimizer = torch.optim.SGD(reference.parameters(), lr=1.0)
    losses = []
    for _ in range(40):
        losses.append(quiet(ex.train_step, model, optimizer, inputs, labels))
        reference_optimizer.zero_grad()
        nn.functional.cross_entropy(reference_forward(reference, inputs), labels).backward()
        reference_optimizer.step()
    for name, value in model.state_dict().items():
        unchanged = torch.equal(value, initial[name])
        assert not unchanged, (
            f"{name} is exactly its initial value after 40 training steps; likely cause: {CUT_HINT}")
        assert_tensor_close(value, reference.state_dict()[name], atol=1e-4, rtol=1e-4,
                            what=f"{name} after 40 SGD steps",
                            hint="the model trained differently from the intended one")
    fell_enough = losses[-1] < 0.5 * losses[0]
    assert fell_enough, f"expected the loss to fall by half or more, went {losses[0]:.3f} -> {losses[-1]:.3f}"


def test_dead_parameters_finds_a_cut(ex):
    model, loss = cut_model_loss()
    dead = ex.dead_parameters(model, loss)
    assert dead == ["first.weight", "first.bias"], (
        f"expected ['first.weight', 'first.bias'] (cut off by a .detach()), got {dead!r}")


def test_dead_parameters_counts_all_zero_gradients_as_dead(ex):
    torch.manual_seed(4)
    layer, gate = nn.Linear(3, 3), nn.Linear(3, 3)
    model = nn.ModuleDict({"layer": layer, "gate": gate})
    x = randn(4, 3, seed=4)
    loss = (layer(x) + 0.0 * gate(x)).pow(2).sum()  # gate is in the graph, but its gradient is exactly zero
    dead = ex.dead_parameters(model, loss)
    assert dead == ["gate.weight", "gate.bias"], (
        f"expected ['gate.weight', 'gate.bias'] (in the graph, gradient all zeros), got {dead!r}; "
        "a gradient that is all zeros is as dead as a missing one")


def test_dead_parameters_does_not_disturb_the_training_step(ex):
    model, loss = cut_model_loss()
    stale = {name: torch.full_like(param, 3.0) for name, param in model.named_parameters()}
    for name, param in model.named_parameters():
        param.grad = stale[name].clone()
    dead = ex.dead_parameters(model, loss)
    assert dead == ["first.weight", "first.bias"], (
        f"with stale values already in .grad, expected ['first.weight', 'first.bias'], got {dead!r}; "
        "reading .grad after backward() sees old gradients too: ask torch.autograd.grad for fresh ones")
    for name, param in model.named_parameters():
        assert_tensor_close(param.grad, stale[name], atol=0, rtol=0, what=f"{name}.grad after dead_parameters()",
                            hint="dead_parameters() wrote into .grad: use torch.autograd.grad, which returns gradients")
    try:
        loss.backward()
    except RuntimeError as err:
        raise AssertionError("loss.backward() failed after dead_parameters(): the graph was freed; "
                             f"pass retain_graph=True ({err})") from None


def test_the_fixed_model_has_no_dead_parameters(ex):
    model = make_model(ex)
    inputs, labels = toy_task()
    dead = ex.dead_parameters(model, nn.functional.cross_entropy(quiet(model, inputs), labels))
    assert dead == [], f"expected no dead parameters in the fixed PedestrianNet, got {dead!r}; likely cause: {CUT_HINT}"
