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
