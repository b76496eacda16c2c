"""06_vision/conv_arithmetic: the output size nn.Conv2d really produces, dilation and flooring included."""

import random

import pytest
import torch
from torch import nn


def conv2d_shape(h, w, kernel, stride=1, padding=0, dilation=1):
    """What a real nn.Conv2d produces, or None when it refuses the input (kernel larger than the padded input)."""
    conv = nn.Conv2d(1, 1, kernel, stride=stride, padding=padding, dilation=dilation, bias=False)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # for a tiny conv, waking a thread pool costs far more than the work
    try:
        with torch.no_grad():
            return tuple(conv(torch.zeros(1, 1, h, w)).shape[2:])
    except RuntimeError:
        return None
    finally:
        torch.set_num_threads(threads)


def random_config(rng: random.Random, pairs: bool = False) -> dict:
    def value(low, high):
        if pairs and rng.random() < 0.5:
            return rng.randint(low, high), rng.randint(low, high)
        return rng.randint(low, high)

    return dict(h=rng.randint(1, 40), w=rng.randint(1, 40), kernel=value(1, 7), stride=value(1, 4),
                padding=value(0, 3), dilation=value(1, 3))


def describe(config: dict) -> str:
    return ", ".join(f"{key}={value}" for key, value in config.items())


def check_size(ex, config: dict, expected: tuple[int, int]) -> None:
    got = ex.conv2d_output_size(**config)
    assert type(got) is tuple and len(got) == 2 and all(type(side) is int for side in got), (
        f"expected a (height, width) tuple of two Python ints for {describe(config)}, got {got!r} "
        "(true division `/` gives floats: nn.Conv2d floors, use `//`)")
    assert got == expected, (
        f"conv2d_output_size({describe(config)}) returned {got}, nn.Conv2d produces {expected}; likely cause: "
        "the dilated kernel spans dilation*(kernel-1)+1 pixels, padding is added on both sides, and the "
        "division by the stride rounds down")


@pytest.mark.parametrize("config,expected", [
    (dict(h=32, w=32, kernel=3, stride=1, padding=1), (32, 32)),
    (dict(h=32, w=32, kernel=3, stride=2, padding=1), (16, 16)),
    (dict(h=224, w=224, kernel=7, stride=2, padding=3), (112, 112)),
    (dict(h=7, w=7, kernel=3, stride=2, padding=0), (3, 3)),
    (dict(h=8, w=8, kernel=3, stride=2, padding=0), (3, 3)),
    (dict(h=9, w=9, kernel=3, stride=1, padding=0, dilation=2), (5, 5)),
])
def test_textbook_cases(ex, config, expected):
    check_size(ex, config, expected)


def test_matches_nn_conv2d_on_random_square_configs(ex):
    rng = random.Random(52)
    checked = 0
    while checked < 60:
        config = random_config(rng)
        expected = conv2d_shape(**config)
        if expected is not None:
            check_size(ex, config, expected)
            checked += 1


def test_pairs_give_height_and_width_their_own_values(ex):
    config = dict(h=20, w=31, kernel=(3, 5), stride=(1, 2), padding=(0, 2), dilation=(2, 1))
    check_size(ex, config, conv2d_shape(**config))


def test_kernel_that_does_not_fit_raises_value_error(ex):
    assert conv2d_shape(h=4, w=4, kernel=5) is None  # nn.Conv2d refuses this input too
    with pytest.raises(ValueError):
        ex.conv2d_output_size(4, 4, kernel=5)
    with pytest.raises(ValueError):
        ex.conv2d_output_size(9, 9, kernel=3, dilation=5)  # a 3x3 kernel at dilation 5 spans 11 pixels


@pytest.mark.parametrize("kernel,dilation", [(1, 1), (3, 1), (5, 1), (3, 2), (7, 3)])
def test_same_padding_keeps_the_size(ex, kernel, dilation):
    padding = ex.same_padding(kernel, dilation)
    assert type(padding) is int, f"expected an int padding, got {padding!r}"
    got = conv2d_shape(h=11, w=16, kernel=kernel, padding=padding, dilation=dilation)
    assert got == (11, 16), (
        f"nn.Conv2d(kernel={kernel}, dilation={dilation}, padding={padding}) turns 11x16 into {got}; the padding "
        "that keeps the size is half the span minus one: dilation*(kernel-1)//2")


def test_same_padding_refuses_even_spans(ex):
    with pytest.raises(ValueError):
        ex.same_padding(4)
    assert ex.same_padding(4, dilation=2) == 3, "a 4-tap kernel at dilation 2 spans 7 pixels: padding 3 keeps the size"
