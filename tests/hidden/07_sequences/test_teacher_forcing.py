"""07_sequences/teacher_forcing, hidden: mixed ratios equal the reference, one coin per step, seeds, edge cases."""

import pytest
import torch

from helpers import assert_tensor_close, visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("ratio,generator_seed", [(0.5, 1), (0.3, 2), (0.8, 3)])
def test_mixed_ratio_equals_the_reference_for_its_pattern(ex, ratio, generator_seed):
    spy, state, targets, logits = visible.run(ex, ratio, steps=12, generator_seed=generator_seed)
    pattern = visible.forced_pattern(spy)
    for t, fed in enumerate(spy.fed[1:], start=1):
        if pattern[t - 1]:
            assert torch.equal(fed, targets[:, t]), f"a forced step {t + 1} was fed {fed.tolist()}, not targets[:, {t}]"
        else:
            assert torch.equal(fed, logits[:, t - 1].argmax(-1)), f"step {t + 1} was fed neither target nor prediction"
    assert_tensor_close(logits, visible.reference_decode(spy.decoder, state, targets, pattern), atol=1e-5, rtol=1e-4,
                        what=f"logits at ratio {ratio}")


def test_one_coin_per_step_for_the_whole_batch(ex):
    spy, *_ = visible.run(ex, 0.5, batch=4, steps=30, generator_seed=4)
    for t, fed in enumerate(spy.fed[1:], start=2):
        truth = fed >= visible.PREDICTABLE
        assert truth.all() or not truth.any(), (
            f"call {t}: some rows got the ground truth and others their prediction; draw one number per step")


def test_ratio_is_respected_over_many_steps(ex):
    spy, *_ = visible.run(ex, 0.25, batch=2, steps=81, generator_seed=5)
    forced = sum(visible.forced_pattern(spy))
    assert 5 <= forced <= 38, f"ratio 0.25 forced {forced} of 80 steps (expected about 20; is the comparison inverted?)"


def test_different_seeds_give_different_mixes(ex):
    patterns = {tuple(visible.forced_pattern(visible.run(ex, 0.5, steps=20, generator_seed=s)[0])) for s in range(4)}
    assert len(patterns) > 1, "four generator seeds gave the same teacher-forcing pattern: is the generator used?"


def test_without_a_generator_and_a_single_step(ex):
    spy, _, targets, logits = visible.run(ex, 1.0, steps=2, generator_seed=None)
    assert torch.equal(spy.fed[0], targets[:, 0])
    spy, _, _, logits = visible.run(ex, 0.0, batch=1, steps=5, generator_seed=None)
    assert torch.equal(spy.fed[2], logits[:, 1].argmax(-1))


def test_ratio_one_with_another_decoder(ex):
    spy, state, targets, logits = visible.run(ex, 1.0, batch=2, steps=9, seed=7)
    assert_tensor_close(logits, visible.reference_decode(spy.decoder, state, targets, [True] * 8), atol=1e-5,
                        rtol=1e-4, what="logits at ratio 1")


@pytest.mark.parametrize("steps", [2, 7])
def test_one_draw_after_every_call_the_last_included(ex, steps):
    generator = torch.Generator().manual_seed(17)
    decoder = visible.ToyDecoder(3)
    state, targets = visible.randn(2, visible.HIDDEN, seed=8), visible.make_targets(2, steps, seed=9)
    ex.decode(decoder, state, targets, 0.5, generator)
    replay = torch.Generator().manual_seed(17)
    for _ in range(steps - 1):
        torch.rand((), generator=replay)
    assert torch.equal(generator.get_state(), replay.get_state()), (
        f"after decode with T={steps} the generator is not where {steps - 1} draws of torch.rand((), "
        "generator=generator) leave it: draw exactly one coin after each of the T - 1 calls, the last one included "
        "(a caller sharing the generator relies on its position)")


def test_a_coin_equal_to_the_ratio_is_not_below_it(ex):
    replay = torch.Generator().manual_seed(41)
    coins = [torch.rand((), generator=replay).item() for _ in range(5)]
    ratio = coins[1]  # exactly the second coin, so that coin sits on the boundary
    spy, *_ = visible.run(ex, ratio, steps=6, generator_seed=41)
    expected = [coin < ratio for coin in coins[:-1]]
    got = visible.forced_pattern(spy)
    assert got == expected, (
        f"ratio {ratio} equal to the second coin: calls 2..5 got the ground truth at {got}, expected {expected}; "
        "the ground truth comes only when the coin is strictly below the ratio (coin < ratio, not <=)")
