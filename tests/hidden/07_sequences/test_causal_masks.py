"""07_sequences/causal_masks, hidden: sizes, devices, inputs left alone, leaks probed through attention."""

import pytest
import torch
import torch.nn.functional as F

from helpers import assert_finite, assert_tensor_close, assert_tensor_equal, randn, visible_tests

visible = visible_tests(__file__)


@pytest.mark.parametrize("n", [1, 2, 7])
def test_causal_mask_sizes(ex, n):
    mask = ex.causal_mask(n)
    visible.check_bool(mask, (n, n), f"causal_mask({n})")
    assert_tensor_equal(mask, torch.ones(n, n, dtype=torch.bool).tril(), what=f"causal_mask({n})")


def test_on_the_requested_device(ex, device):
    mask = ex.causal_mask(3, device=device)
    assert mask.device.type == device.type, f"causal_mask(3, device={device}) is on {mask.device}"
    combined = ex.combine_masks(mask, torch.tensor([[False, False, True]], device=device))
    assert combined.device.type == device.type, (
        f"combine_masks of tensors on {device} returned one on {combined.device}")


def test_the_future_cannot_leak(ex):
    q, k, v = visible.qkv(1, 2, 8, 4, seed=20)
    mask = ex.causal_mask(8)
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    k2, v2 = k.clone(), v.clone()
    k2[:, :, 5:] += 10.0
    v2[:, :, 5:] -= 10.0
    changed = F.scaled_dot_product_attention(q, k2, v2, attn_mask=mask)
    assert_tensor_close(changed[:, :, :5], out[:, :, :5], atol=1e-6, rtol=1e-5,
                        what="outputs of tokens 0-4 after changing tokens 5-7",
                        hint="the mask lets the past see the future")


def test_inputs_are_not_modified(ex):
    causal = ex.causal_mask(4)
    causal_copy = causal.clone()
    key_padding = visible.key_padding_for([2, 4], 4)
    padding_copy = key_padding.clone()
    ex.combine_masks(causal, key_padding)
    assert torch.equal(key_padding, padding_copy), (
        "combine_masks changed key_padding in place (use ~, not logical_not_)")
    assert torch.equal(causal, causal_copy), "combine_masks changed the causal mask in place"


def test_rectangular_causal_masks_are_combined_as_given(ex):
    """A cached decoder: 2 new queries over 5 keys; query i may see keys 0..3+i."""
    causal = torch.ones(2, 5, dtype=torch.bool).tril(diagonal=3)
    key_padding = torch.tensor([[False] * 5, [False, False, False, True, True]])
    mask = ex.combine_masks(causal, key_padding)
    visible.check_bool(mask, (2, 1, 2, 5), "combine_masks of a (2, 5) causal mask")
    expected = causal[None, None] & ~key_padding[:, None, None, :]
    assert_tensor_equal(mask, expected, what="combined rectangular mask")


def test_padding_values_do_not_matter_and_every_row_is_finite(ex):
    lengths = [7, 1, 4, 6]
    q, k, v = visible.qkv(4, 3, 7, 5, seed=30)
    mask = ex.combine_masks(ex.causal_mask(7), visible.key_padding_for(lengths, 7))
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    assert_finite(out, what="attention output, padding rows included")
    k2, v2 = k.clone(), v.clone()
    for b, length in enumerate(lengths):
        k2[b, :, length:] = randn(3, 7 - length, 5, seed=b) * 50
        v2[b, :, length:] = 1e4
    again = F.scaled_dot_product_attention(q, k2, v2, attn_mask=mask)
    for b, length in enumerate(lengths):
        assert_tensor_close(again[b, :, :length], out[b, :, :length], atol=1e-5, rtol=1e-5,
                            what=f"real-token outputs of sequence {b} after changing its padding",
                            hint="padding keys must be masked out: key_padding is True at padding")
