"""01_tensors/reshape_views, hidden: empty and single batches, other layouts and shapes, round trips."""

import pytest
import torch

from helpers import assert_tensor_equal, randn, visible_tests

visible = visible_tests(__file__)


def test_flatten_an_empty_batch(ex):
    x = randn(0, 3, 4, 5, seed=10)
    out = visible.call(ex.flatten_features, x, "flatten_features(x of shape (0, 3, 4, 5))",
                       hint="reshape(N, -1) cannot infer -1 when there are no elements; torch.flatten(x, 1) "
                            "(or reshape(N, C * H * W)) keeps the feature size")
    assert_tensor_equal(out, torch.zeros(0, 60), what="flatten_features of an empty batch",
                        hint="expected shape (0, C*H*W)")


@pytest.mark.parametrize("shape", [(1, 3, 4, 5), (4, 6, 1, 1), (1, 8, 1, 1), (3, 1, 2, 2)])
def test_flatten_keeps_every_batch_dim(ex, shape):
    x = randn(*shape, seed=11)
    out = visible.call(ex.flatten_features, x, f"flatten_features(x of shape {shape})")
    assert_tensor_equal(out, torch.flatten(x, 1), what=f"flatten_features(x of shape {shape})",
                        hint="size-1 dims must survive: squeeze() also drops a batch of one")


@pytest.mark.parametrize("layout", ["h-w-transposed", "every-other-channel", "cropped", "expanded"])
def test_flatten_other_non_contiguous_layouts(ex, layout):
    base = randn(2, 6, 4, 5, seed=12)
    x = {
        "h-w-transposed": base.transpose(2, 3),
        "every-other-channel": base[:, ::2],
        "cropped": base[..., 1:4, 1:],
        "expanded": base[:, :1].expand(2, 3, 4, 5),
    }[layout]
    out = visible.call(ex.flatten_features, x, f"flatten_features({layout} x)")
    assert_tensor_equal(out, torch.flatten(x, 1), what=f"flatten_features({layout} x)",
                        hint="values must follow x's logical order, whatever its strides")


def test_flatten_view_of_a_larger_contiguous_batch(ex):
    x = randn(5, 2, 3, 3, seed=13)
    out = visible.call(ex.flatten_features, x, "flatten_features(x)")
    visible.check_write_shows_in_source(out, (4, 0), x, (4, 0, 0, 0), "flatten_features(contiguous x)")


def test_flatten_of_every_other_sample_is_still_a_view(ex):
    base = randn(4, 2, 3, 3, seed=19)
    x = base[::2]  # not contiguous (the batch stride doubled), yet each sample's (C, H, W) block is
    assert not x.is_contiguous()
    out = visible.call(ex.flatten_features, x, "flatten_features(x[::2])")
    assert_tensor_equal(out, torch.flatten(x, 1), what="flatten_features(every other sample of a batch)")
    visible.check_write_shows_in_source(out, (1, 17), x, (1, 1, 2, 2), "flatten_features(x[::2])")


@pytest.mark.parametrize("shape", [(1, 1, 2, 3), (3, 2, 5, 5), (2, 3, 1, 4), (2, 4, 3, 1)])
def test_channels_last_values_for_many_shapes(ex, shape):
    x = randn(*shape, seed=14)
    assert_tensor_equal(ex.to_channels_last(x), x.permute(0, 2, 3, 1), what=f"to_channels_last(x of shape {shape})",
                        hint="out[n, h, w, c] must be x[n, c, h, w]: permute(0, 2, 3, 1)")


def test_channels_last_of_non_contiguous_input_is_a_view(ex):
    x = visible.channels_last_feature_maps(2, 3, 4, 5, seed=15)[:, :, 1:]
    out = ex.to_channels_last(x)
    assert_tensor_equal(out, x.permute(0, 2, 3, 1), what="to_channels_last(non-contiguous x)")
    visible.check_write_shows_in_source(out, (0, 1, 2, 2), x, (0, 2, 1, 2), "to_channels_last(non-contiguous x)")


def test_channels_last_round_trip(ex):
    x = randn(2, 3, 4, 5, seed=16)
    back = ex.to_channels_last(x).permute(0, 3, 1, 2)
    assert_tensor_equal(back, x, what="to_channels_last(x).permute(0, 3, 1, 2)",
                        hint="permuting back must give x itself")


@pytest.mark.parametrize("shape", [(), (7,), (2, 3), (2, 3, 4, 5)])
def test_add_batch_dim_for_any_rank(ex, shape):
    x = randn(*shape, seed=17) if shape else randn(1, seed=17).squeeze(0)  # randn() needs at least one size
    batch = ex.add_batch_dim(x)
    assert_tensor_equal(batch, x.unsqueeze(0), what=f"add_batch_dim(x of shape {shape})",
                        hint="prepend one dimension of size 1, whatever the rank")
    index = tuple(size - 1 for size in shape)
    visible.check_write_shows_in_source(batch, (0, *index), x, index, f"add_batch_dim(x of shape {shape})")


def test_add_batch_dim_of_a_non_contiguous_image(ex):
    image = randn(5, 4, 3, seed=18).permute(2, 0, 1)
    batch = ex.add_batch_dim(image)
    assert_tensor_equal(batch, image.unsqueeze(0), what="add_batch_dim(permuted image)")
    visible.check_write_shows_in_source(batch, (0, 1, 2, 3), image, (1, 2, 3), "add_batch_dim(permuted image)")
