"""01_tensors/reshape_views: flatten any memory layout, permute (not reshape) to channels-last, and views."""

import torch

from helpers import assert_shape, assert_tensor_equal, randn

VIEW_HINT = (".view() needs a contiguous memory layout; .reshape() and torch.flatten() work on any layout and "
             "copy only when they must")


def call(fn, x: torch.Tensor, what: str, hint: str = VIEW_HINT) -> torch.Tensor:
    """Runs ``fn(x)``, turning a reshape/view RuntimeError into a failure that says what went wrong."""
    try:
        return fn(x)
    except NotImplementedError:
        raise
    except RuntimeError as err:
        first_line = str(err).splitlines()[0]
        raise AssertionError(f"{what} raised RuntimeError: {first_line}\n  likely cause: {hint}") from None


def channels_last_feature_maps(n: int, c: int, h: int, w: int, seed: int) -> torch.Tensor:
    """An (n, c, h, w) tensor stored as (n, h, w, c): the non-contiguous layout that broke ``.view``."""
    x = randn(n, h, w, c, seed=seed).permute(0, 3, 1, 2)
    assert not x.is_contiguous()
    return x


def check_write_shows_in_source(out: torch.Tensor, out_index: tuple, x: torch.Tensor, x_index: tuple,
                                what: str) -> None:
    """``out[out_index]`` and ``x[x_index]`` are the same element if ``out`` is a view of ``x``."""
    out[out_index] = 1000.0
    assert x[x_index].item() == 1000.0, (
        f"{what}: writing 1000 into result{list(out_index)} left x{list(x_index)} at {x[x_index].item():.4f}: "
        "the result is a copy, expected a view of x (no data copied); likely cause: .contiguous(), .clone() or "
        "a reshape of a permuted tensor")


def test_flatten_contiguous_batch(ex):
    x = randn(2, 3, 4, 5, seed=1)
    out = call(ex.flatten_features, x, "flatten_features(x)")
    assert_tensor_equal(out, torch.flatten(x, 1), what="flatten_features(x) for x of shape (2, 3, 4, 5)",
                        hint="keep the batch dim and flatten (C, H, W) in that order")


def test_flatten_accepts_non_contiguous_feature_maps(ex):
    x = channels_last_feature_maps(2, 3, 4, 5, seed=2)
    out = call(ex.flatten_features, x, "flatten_features(non-contiguous x)")
    assert_tensor_equal(out, torch.flatten(x, 1), what="flatten_features(non-contiguous x)",
                        hint="the values must follow x's logical (C, H, W) order, not its memory order")


def test_flatten_returns_a_view_of_contiguous_input(ex):
    x = randn(2, 3, 4, 5, seed=3)
    out = call(ex.flatten_features, x, "flatten_features(x)")
    assert_shape(out, (2, 60), what="flatten_features(x)")
    check_write_shows_in_source(out, (1, 59), x, (1, 2, 3, 4), "flatten_features(contiguous x)")


def test_channels_last_moves_channels_to_the_end(ex):
    x = randn(2, 3, 4, 5, seed=4)
    out = ex.to_channels_last(x)
    assert_tensor_equal(out, x.permute(0, 2, 3, 1), what="to_channels_last(x) for x of shape (2, 3, 4, 5)",
                        hint="reshape keeps the elements in memory order and only relabels the shape, which "
                             "scrambles pixels; reorder dimensions with permute(0, 2, 3, 1)")


def test_channels_last_on_square_images(ex):
    x = randn(2, 3, 4, 4, seed=5)
    out = ex.to_channels_last(x)
    assert_tensor_equal(out, x.permute(0, 2, 3, 1), what="to_channels_last(x) for square images (2, 3, 4, 4)",
                        hint="out[n, h, w, c] must be x[n, c, h, w]; transpose(1, 3) gives (N, W, H, C), which "
                             "has the right shape only when H == W and swaps rows with columns")


def test_channels_last_is_a_view(ex):
    x = randn(2, 3, 4, 5, seed=6)
    out = ex.to_channels_last(x)
    assert_shape(out, (2, 4, 5, 3), what="to_channels_last(x)")
    check_write_shows_in_source(out, (1, 2, 3, 0), x, (1, 0, 2, 3), "to_channels_last(x)")


def test_flatten_accepts_channels_last_output(ex):
    x = randn(3, 2, 4, 5, seed=7)
    out = call(lambda t: ex.flatten_features(ex.to_channels_last(t)), x, "flatten_features(to_channels_last(x))")
    assert_tensor_equal(out, x.permute(0, 2, 3, 1).reshape(3, -1), what="flatten_features(to_channels_last(x))",
                        hint="a permuted view is not contiguous: flatten it with reshape/torch.flatten, not view")


def test_add_batch_dim_to_an_image(ex):
    image = randn(3, 4, 5, seed=8)
    batch = ex.add_batch_dim(image)
    assert_tensor_equal(batch, image[None], what="add_batch_dim(image of shape (3, 4, 5))",
                        hint="the new size-1 dimension goes in front: unsqueeze(0)")
    check_write_shows_in_source(batch, (0, 2, 3, 4), image, (2, 3, 4), "add_batch_dim(image)")
