"""02_autograd/checkpointing, hidden: dropout, eval and no_grad, other shapes, tracked inputs, float64 gradcheck."""

import pytest
import torch

from helpers import assert_tensor_close, randn, visible_tests

visible = visible_tests(__file__)


def test_dropout_masks_match_in_training_mode(ex, device):
    plain, checkpointed = visible.make_pair(ex, dropout=0.3, seed=5, device=device)
    x = randn(6, visible.DIM, seed=6, device=device)
    expected_out, expected_grads = visible.outputs_and_grads(plain, x, rng_seed=7)
    out, grads = visible.outputs_and_grads(checkpointed, x, rng_seed=7)
    assert_tensor_close(out, expected_out, atol=1e-6, rtol=1e-6, what="output with dropout 0.3 in training mode",
                        hint="run the blocks in order, each exactly once in the forward pass")
    visible.assert_same_grads(grads, expected_grads, "with dropout 0.3 in training mode",
                              hint="the recomputation drew different dropout masks: keep checkpoint's default "
                                   "preserve_rng_state=True")


@pytest.mark.parametrize("depth,shape", [(1, (4, 12)), (5, (2, 3, 12))])
def test_other_depths_and_input_shapes(ex, depth, shape):
    plain, checkpointed = visible.make_pair(ex, dim=12, depth=depth, out=3, seed=8)
    x = randn(*shape, seed=9)
    expected_out, expected_grads = visible.outputs_and_grads(plain, x)
    counts = visible.count_block_forwards(checkpointed)
    out, grads = visible.outputs_and_grads(checkpointed, x)
    assert_tensor_close(out, expected_out, atol=1e-6, rtol=1e-6, what=f"output for depth {depth}, input {shape}")
    visible.assert_same_grads(grads, expected_grads, f"for depth {depth}, input {shape}", hint="checkpoint every block")
    assert counts == [2] * depth, f"depth {depth}: expected every block to run twice, got {counts}"


def test_input_gradients_match(ex):
    plain, checkpointed = visible.make_pair(ex, seed=10)
    grads = []
    for model in (plain, checkpointed):
        x = randn(3, visible.DIM, seed=11).requires_grad_()
        model(x).sum().backward()
        grads.append(x.grad)
    assert grads[1] is not None, "no gradient reached an input that requires grad"
    assert_tensor_close(grads[1], grads[0], atol=1e-6, rtol=1e-6, what="gradient with respect to the input")


def test_eval_mode_and_no_grad_give_plain_outputs(ex):
    plain, checkpointed = visible.make_pair(ex, dropout=0.5, seed=12)
    plain.eval()
    checkpointed.eval()
    x = randn(4, visible.DIM, seed=13)
    with torch.no_grad():
        expected = plain(x)
        out = checkpointed(x)
    assert_tensor_close(out, expected, atol=1e-6, rtol=1e-6, what="eval-mode output under torch.no_grad()",
                        hint="the checkpointed forward must also work when no graph is being recorded")


def test_float64_gradcheck(ex):
    _, checkpointed = visible.make_pair(ex, dim=4, depth=2, out=2, seed=14)
    checkpointed.double()
    x = randn(2, 4, seed=15, dtype=torch.float64).requires_grad_()
    passed = torch.autograd.gradcheck(checkpointed, (x,), eps=1e-6, atol=1e-5, raise_exception=False)
    assert passed, ("gradcheck of CheckpointedMLP in float64 failed: the gradients through the checkpointed blocks "
                    "do not match finite differences")


def test_repeated_steps_recompute_every_time(ex):
    _, checkpointed = visible.make_pair(ex, seed=16)
    counts = visible.count_block_forwards(checkpointed)
    for _ in range(2):
        checkpointed(randn(3, visible.DIM, seed=17)).sum().backward()
    assert counts == [4] * visible.DEPTH, f"two training steps: expected 4 forward runs per block, got {counts}"


def test_eval_mode_with_grad_enabled_is_checkpointed_too(ex):
    plain, checkpointed = visible.make_pair(ex, dim=6, depth=4, out=3, dropout=0.4, seed=18)
    plain.eval()
    checkpointed.eval()
    x = randn(3, 6, seed=19)
    expected_out, expected_grads = visible.outputs_and_grads(plain, x)
    counts = visible.count_block_forwards(checkpointed)
    out, grads = visible.outputs_and_grads(checkpointed, x)
    assert_tensor_close(out, expected_out, atol=1e-6, rtol=1e-6, what="eval-mode output with grad enabled",
                        hint="run every block, in order, then the head; eval mode turns dropout off")
    visible.assert_same_grads(grads, expected_grads, "in eval mode with grad enabled", hint="checkpoint every block")
    assert counts == [2] * 4, (
        f"eval mode with grad enabled: expected every block to run twice (forward, then recomputed in backward), "
        f"got {counts}; likely cause: checkpointing only when self.training, but the contract checkpoints in eval "
        "mode too whenever grad is enabled")
