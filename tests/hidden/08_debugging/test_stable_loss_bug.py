"""08_debugging/stable_loss_bug, hidden: float64 and gradcheck, shapes, random soft labels at large scale."""

import torch
import torch.nn.functional as F

from helpers import assert_finite, assert_tensor_close, randn


def test_float64_is_stable_too_and_gradcheck_passes(ex):
    x = torch.tensor([-1000.0, -200.0, 200.0, 1000.0], dtype=torch.float64)
    out = ex.log_sigmoid(x)
    assert_tensor_close(out, F.logsigmoid(x), atol=1e-9, rtol=1e-12, what="log_sigmoid in float64 at +-1000",
                        hint="float64 underflows later than float32 but still underflows: sigmoid(-1000) == 0")
    smooth = (randn(6, seed=20, dtype=torch.float64) * 4).requires_grad_(True)
    targets = torch.rand(6, dtype=torch.float64, generator=torch.Generator().manual_seed(21))
    assert torch.autograd.gradcheck(ex.log_sigmoid, (smooth,), eps=1e-6, atol=1e-6)
    assert torch.autograd.gradcheck(lambda z: ex.binary_cross_entropy(z, targets), (smooth,), eps=1e-6, atol=1e-6)
    big = torch.tensor([-1000.0, 1000.0], dtype=torch.float64)
    loss = ex.binary_cross_entropy(big, torch.tensor([1.0, 0.0], dtype=torch.float64))
    assert_tensor_close(loss, torch.tensor(1000.0, dtype=torch.float64), atol=1e-9, rtol=1e-12,
                        what="binary_cross_entropy of two confident wrong answers at +-1000 (float64)")


def test_shape_and_dtype_are_kept(ex):
    x = randn(2, 3, 4, seed=22) * 100
    out = ex.log_sigmoid(x)
    assert_tensor_close(out, F.logsigmoid(x.double()).float(), atol=1e-4, rtol=1e-5,
                        what="log_sigmoid of a (2, 3, 4) float32 tensor scaled by 100")
    loss = ex.binary_cross_entropy(x, torch.ones_like(x))
    assert loss.dim() == 0 and loss.dtype == torch.float32, (
        f"expected a float32 scalar loss, got shape {tuple(loss.shape)} dtype {loss.dtype}")


def test_random_soft_labels_at_large_scale(ex):
    generator = torch.Generator().manual_seed(23)
    for scale in (1.0, 30.0, 300.0):
        logits = (randn(64, seed=int(scale), dtype=torch.float32) * scale).requires_grad_(True)
        targets = torch.rand(64, generator=generator)
        loss = ex.binary_cross_entropy(logits, targets)
        expected = F.binary_cross_entropy_with_logits(logits.detach().double(), targets.double()).float()
        assert_tensor_close(loss.detach(), expected, atol=1e-4, rtol=1e-5,
                            what=f"binary_cross_entropy of logits ~ N(0, {scale}^2) with soft labels")
        loss.backward()
        assert_finite(logits.grad, what=f"gradient at logit scale {scale}")
        assert_tensor_close(logits.grad, (torch.sigmoid(logits.detach()) - targets) / 64, atol=1e-6, rtol=1e-4,
                            what=f"gradient at logit scale {scale}")


def test_training_on_a_confident_model_stays_finite(ex):
    torch.manual_seed(24)
    weight = torch.full((3,), 60.0, requires_grad=True)
    x = torch.tensor([[1.0, 1.0, 1.0], [-1.0, -1.0, -1.0], [1.0, 1.0, 1.0]])
    y = torch.tensor([0.0, 1.0, 1.0])  # two confident wrong answers at |logit| = 180
    optimizer = torch.optim.SGD([weight], lr=0.1)
    for _ in range(3):
        optimizer.zero_grad()
        loss = ex.binary_cross_entropy(x @ weight, y)
        assert_finite(loss, what="loss during training")
        loss.backward()
        optimizer.step()
    assert_finite(weight, what="weights after three SGD steps", hint="a NaN gradient poisons every weight it touches")


def test_multi_label_batches_average_over_every_element(ex):
    generator = torch.Generator().manual_seed(25)
    logits = (randn(3, 5, seed=25) * torch.tensor([1.0, 10.0, 100.0]).unsqueeze(1)).requires_grad_(True)
    targets = torch.rand(3, 5, generator=generator)
    targets[0, :3] = 1.0                        # hard and soft labels mixed, rows of different difficulty
    loss = ex.binary_cross_entropy(logits, targets)
    expected = F.binary_cross_entropy_with_logits(logits.detach().double(), targets.double()).float()
    assert_tensor_close(loss.detach(), expected, atol=1e-4, rtol=1e-5,
                        what="binary_cross_entropy of a (3, 5) multi-label batch",
                        hint="the mean over all 15 elements: not a sum over labels then a mean over the batch, "
                             "not a sum")
    loss.backward()
    assert_tensor_close(logits.grad, (torch.sigmoid(logits.detach()) - targets) / 15, atol=1e-6, rtol=1e-4,
                        what="gradient of binary_cross_entropy over a (3, 5) batch",
                        hint="each element's gradient is (sigmoid(logit) - target) / N with N = logits.numel()")
    cube = randn(2, 3, 4, seed=26, dtype=torch.float64) * 50
    soft = torch.rand(2, 3, 4, generator=generator, dtype=torch.float64)
    assert_tensor_close(ex.binary_cross_entropy(cube, soft), F.binary_cross_entropy_with_logits(cube, soft),
                        atol=1e-9, rtol=1e-10, what="binary_cross_entropy of a (2, 3, 4) float64 batch")


def _on(ex, fn: str, device, *args: torch.Tensor) -> torch.Tensor:
    try:
        return getattr(ex, fn)(*args)
    except RuntimeError as err:
        if "device" not in str(err):
            raise
        raise AssertionError(f"{fn} on {device} tensors raised {err!s:.100}; expected it to work wherever its input "
                             "lives; likely cause: a helper tensor made on the CPU (torch.zeros(x.shape)) instead "
                             "of torch.zeros_like(x)") from None


def test_results_stay_on_the_inputs_device(ex, device):
    places = [device, torch.device("meta")] if device.type == "cpu" else [device]  # meta: shapes only, no values
    for place in places:
        x = (randn(2, 3, seed=27) * 100).to(place).requires_grad_(True)
        targets = torch.rand(2, 3, generator=torch.Generator().manual_seed(28)).to(place)
        out = _on(ex, "log_sigmoid", place, x)
        loss = _on(ex, "binary_cross_entropy", place, x, targets)
        for name, value in (("log_sigmoid(x)", out), ("binary_cross_entropy", loss)):
            assert value.device == place and value.dtype == x.dtype, (
                f"{name}: expected a {x.dtype} tensor on {place} (the input's), got {value.dtype} on {value.device}")
        assert tuple(out.shape) == (2, 3) and loss.dim() == 0
        if place.type != "meta":
            expected = F.binary_cross_entropy_with_logits(x.detach().double(), targets.double()).float()
            assert_tensor_close(loss.detach().cpu(), expected.cpu(), atol=1e-4, rtol=1e-5,
                                what=f"binary_cross_entropy of logits ~ N(0, 100^2) on {place}",
                                hint="1 - sigmoid(x) rounds to 0 at large x: use log_sigmoid(-x)")
