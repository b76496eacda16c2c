"""04_training/grad_clipping, hidden: empty and many-parameter norms, random cases, overflow under a GradScaler."""

import math

import pytest
import torch

from helpers import assert_is_tensor, assert_shape, assert_tensor_close, randn, visible_tests

visible = visible_tests(__file__)


def test_no_gradients_gives_zero(ex):
    params = [torch.zeros(3, requires_grad=True), torch.zeros(2, 2, requires_grad=True)]
    norm = ex.global_grad_norm(params)
    assert_shape(norm, (), what="global_grad_norm of parameters without gradients")
    assert float(norm) == 0.0, f"expected 0.0 when no parameter has a gradient, got {float(norm)}"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_many_parameters_of_random_shapes(ex, seed):
    generator = torch.Generator().manual_seed(seed)
    shapes = [tuple(int(n) for n in torch.randint(1, 5, (int(torch.randint(1, 4, (1,), generator=generator)),),
                                                  generator=generator)) for _ in range(6)]
    params = [torch.zeros(shape, requires_grad=True) for shape in shapes]
    for index, p in enumerate(params):
        if index % 3 != 2:
            p.grad = randn(*p.shape, seed=100 * seed + index)
    expected = visible.hand_norm([p.grad for p in params if p.grad is not None])
    assert_tensor_close(ex.global_grad_norm(iter(params)), expected, atol=1e-6, rtol=1e-5,
                        what=f"global_grad_norm over shapes {shapes}")


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_norm_lives_on_the_gradients_device(ex, device, dtype):
    p = torch.zeros(4, device=device, dtype=dtype, requires_grad=True)
    q = torch.zeros(2, device=device, dtype=dtype, requires_grad=True)
    p.grad, q.grad = torch.full((4,), 2.0, device=device, dtype=dtype), torch.full((2,), 3.0, device=device, dtype=dtype)
    norm = ex.global_grad_norm([p, q])
    assert_tensor_close(norm, torch.tensor(34.0, device=device, dtype=dtype).sqrt(), atol=1e-6, rtol=1e-6,
                        what=f"norm of {dtype} gradients [2, 2, 2, 2] and [3, 3]",
                        hint="keep the computation in tensors of the gradients' own dtype and device "
                             "(no .item() and no torch.tensor(list of floats), which land on the CPU in float32)")


def test_norm_of_meta_gradients_stays_on_meta(ex):
    """The meta device shows, without a GPU, a norm that leaves the gradients' device (or reads values back)."""
    params = [torch.zeros(3, 2, device="meta", requires_grad=True), torch.zeros(5, device="meta", requires_grad=True)]
    for p in params:
        p.grad = torch.empty_like(p)
    try:
        norm = ex.global_grad_norm(params)
    except (RuntimeError, NotImplementedError) as err:
        raise AssertionError(
            f"global_grad_norm on gradients of the meta device raised {type(err).__name__}: {err}; likely cause: "
            ".item() or float() on a gradient: keep the sum of squares in tensors on the gradients' device") from None
    assert_shape(norm, (), what="global_grad_norm of meta gradients")
    assert norm.device.type == "meta" and norm.dtype == torch.float32, (
        f"expected a float32 norm on the gradients' device (meta), got {norm.dtype} on {norm.device}; likely cause: "
        "the per-parameter norms were collected into a new CPU tensor")


@pytest.mark.parametrize("seed,max_norm", [(1, 0.01), (2, 0.2), (3, 0.5)])
def test_parameters_follow_a_clipped_sgd_step(ex, seed, max_norm):
    returned, raw_vector, opt, model, raw = visible.run_step(ex, "cpu", max_norm=max_norm, seed=seed)
    factor = min(1.0, max_norm / float(raw_vector.norm()))
    fresh = visible.make_model(seed)
    for (name, p), p0, g in zip(model.named_parameters(), fresh.parameters(), raw):
        assert_tensor_close(p, p0 - visible.LR * factor * g, atol=1e-6, rtol=1e-4,
                            what=f"parameter {name} after clipped_step(max_norm={max_norm})",
                            hint="expected one SGD step with every gradient multiplied by min(1, max_norm / norm)")


def test_frozen_parameters_are_skipped(ex):
    model = visible.make_model(4)
    model[0].requires_grad_(False)  # frozen backbone: its .grad stays None
    inputs, labels = visible.make_batch(4)
    trainable = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.SGD(trainable, lr=visible.LR)
    returned = ex.clipped_step(model, opt, visible.loss_of(model, inputs, labels), 0.05)
    assert_is_tensor(returned, what="clipped_step(...) return value with a frozen layer")
    assert returned.numel() == 1 and math.isfinite(float(returned)), (
        f"expected a finite norm when some parameters have no gradient, got {returned}")
    assert float(visible.hand_norm([p.grad for p in trainable])) <= 0.05 * (1 + 1e-4), (
        "expected the trainable gradients clipped to max_norm=0.05 with a frozen layer present")


def test_overflow_under_a_grad_scaler_skips_the_step(ex, device):
    model = visible.make_model(5, device)
    inputs, labels = visible.make_batch(5, device)
    before = [p.detach().clone() for p in model.parameters()]
    handle = model[0].weight.register_hook(lambda grad: torch.full_like(grad, float("inf")))
    scaler = torch.amp.GradScaler(device.type, init_scale=2.0 ** 10)
    opt = torch.optim.SGD(model.parameters(), lr=visible.LR)
    returned = ex.clipped_step(model, opt, visible.loss_of(model, inputs, labels), 1.0, scaler=scaler)
    assert_is_tensor(returned, what="clipped_step(...) return value on an overflowing step")
    assert not math.isfinite(float(returned)), f"expected a non-finite norm for an overflowing step, got {returned}"
    for index, (p, p0) in enumerate(zip(model.parameters(), before)):
        assert torch.equal(p.detach(), p0), (
            f"parameter {index} changed although a gradient overflowed: let scaler.step(opt) decide, not opt.step()")
    assert scaler.get_scale() < 2.0 ** 10, (
        f"expected the loss scale reduced after an overflow, still {scaler.get_scale()}: call scaler.update()")
    handle.remove()
    opt.zero_grad()
    ex.clipped_step(model, opt, visible.loss_of(model, inputs, labels), 1.0, scaler=scaler)
    assert any(not torch.equal(p.detach(), p0) for p, p0 in zip(model.parameters(), before)), (
        "expected the next, finite step to update the parameters")


def test_scaler_run_matches_the_plain_run(ex, device):
    plain = visible.run_step(ex, device, max_norm=0.1, seed=6)
    scaler = torch.amp.GradScaler(device.type, init_scale=512.0)
    scaled = visible.run_step(ex, device, max_norm=0.1, seed=6, scaler=scaler)
    assert plain[1].norm() > 0.1, "test setup: the raw gradient should be above max_norm=0.1"
    visible.check_clipped(plain[2], plain[1], 0.1, hint="the plain run (no scaler) must backward, clip the total "
                                                        "norm to max_norm and step the optimizer once")
    assert_is_tensor(scaled[0], what="clipped_step(..., scaler=scaler) return value")
    assert_tensor_close(scaled[0], plain[0], atol=1e-6, rtol=1e-4, what="norm returned: GradScaler run vs plain run",
                        hint="measure the norm after scaler.unscale_(opt), so it is the true one, not 512 times it")
    for (name, p), q in zip(scaled[3].named_parameters(), plain[3].parameters()):
        assert_tensor_close(p, q, atol=1e-6, rtol=1e-4, what=f"parameter {name}: GradScaler run vs plain run",
                            hint="with the scaler unscaled before clipping, both runs take the same step")


def test_tiny_gradients_are_clipped_to_at_most_max_norm(ex):
    model = visible.make_model(7)
    inputs, labels = visible.make_batch(7)
    raw_norm = float(visible.hand_norm(visible.raw_grads(model, inputs, labels)))
    shrink = 1e-4 / raw_norm  # a loss whose gradients have a total norm of 1e-4
    raw_vector = torch.cat([g.flatten() for g in visible.raw_grads(model, inputs, labels)]) * shrink
    opt, max_norm = visible.SpySGD(model.parameters()), 2e-5
    ex.clipped_step(model, opt, shrink * visible.loss_of(model, inputs, labels), max_norm)
    assert len(opt.seen) == 1, f"expected exactly one optimizer step, got {len(opt.seen)}"
    norm = float(opt.seen[0].norm())
    assert 0.9 * max_norm <= norm <= max_norm * (1 + 1e-5), (
        f"gradients of total norm 1e-4 with max_norm={max_norm}: expected a norm at step time of at most max_norm "
        f"(and close to it), got {norm:.6g}; likely cause: a clip factor above max_norm / norm (an epsilon "
        "subtracted from the norm instead of added), or no clip at all")
    cosine = float(torch.nn.functional.cosine_similarity(opt.seen[0], raw_vector, dim=0))
    assert cosine > 1 - 1e-5, f"clipping changed the gradient's direction (cosine {cosine:.6f}): use one factor"
