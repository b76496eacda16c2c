"""06_vision/conv_arithmetic, hidden: hundreds of configurations, pairs, refusals, and long thin inputs."""

import random

import pytest

from helpers import visible_tests

visible = visible_tests(__file__)


def test_matches_nn_conv2d_on_many_random_configs_with_pairs(ex):
    rng = random.Random(57)
    for _ in range(300):
        config = visible.random_config(rng, pairs=True)
        expected = visible.conv2d_shape(**config)
        if expected is None:
            with pytest.raises(ValueError):
                ex.conv2d_output_size(**config)
        else:
            visible.check_size(ex, config, expected)


@pytest.mark.parametrize("h,w", [(1, 1), (1, 9), (6, 1)])
def test_tiny_inputs(ex, h, w):
    visible.check_size(ex, dict(h=h, w=w, kernel=1), (h, w))
    visible.check_size(ex, dict(h=h, w=w, kernel=3, padding=1, stride=2), visible.conv2d_shape(h, w, 3, 2, 1))


def test_long_thin_inputs(ex):
    rng = random.Random(3)
    for index in range(20):
        long, thin = rng.randint(1000, 5000), rng.randint(12, 20)
        h, w = (long, thin) if index % 2 else (thin, long)
        config = dict(h=h, w=w, kernel=rng.randint(1, 5), stride=rng.randint(1, 7), padding=rng.randint(0, 5),
                      dilation=rng.randint(1, 2))
        visible.check_size(ex, config, visible.conv2d_shape(**config))


def test_output_of_exactly_one(ex):
    visible.check_size(ex, dict(h=5, w=7, kernel=(5, 7)), (1, 1))
    visible.check_size(ex, dict(h=5, w=5, kernel=3, dilation=2), (1, 1))


def test_same_padding_for_many_odd_spans(ex):
    for kernel in range(1, 10):
        for dilation in range(1, 5):
            if dilation * (kernel - 1) % 2:
                with pytest.raises(ValueError):
                    ex.same_padding(kernel, dilation)
            else:
                padding = ex.same_padding(kernel, dilation)
                assert padding == dilation * (kernel - 1) // 2, (
                    f"same_padding({kernel}, {dilation}) returned {padding}, expected {dilation * (kernel - 1) // 2}")
