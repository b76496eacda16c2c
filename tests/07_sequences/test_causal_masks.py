"""07_sequences/causal_masks: boolean masks for F.scaled_dot_product_attention, True = may attend."""

import torch
import torch.nn.functional as F

from helpers import assert_finite, assert_shape, assert_tensor_close, assert_tensor_equal, randn


def check_bool(mask, shape, what) -> None:
    assert_shape(mask, shape, what=what)
    assert mask.dtype == torch.bool, (
        f"{what}: expected dtype torch.bool, got {mask.dtype}; F.scaled_dot_product_attention *adds* a float mask "
        "to the scores (0 and 1 mask nothing), only a bool mask selects")


def key_padding_for(lengths: list[int], max_len: int) -> torch.Tensor:
    """True at padding keys, the nn.MultiheadAttention key_padding_mask convention."""
    return torch.arange(max_len)[None, :] >= torch.tensor(lengths)[:, None]


def expected_combined(lengths: list[int], max_len: int) -> torch.Tensor:
    mask = torch.zeros(len(lengths), 1, max_len, max_len, dtype=torch.bool)
    for b, length in enumerate(lengths):
        for i in range(max_len):
            for j in range(max_len):
                mask[b, 0, i, j] = j <= i and j < length
    return mask


def qkv(batch, heads, seq, dim, seed):
    return (randn(batch, heads, seq, dim, seed=seed), randn(batch, heads, seq, dim, seed=seed + 1),
            randn(batch, heads, seq, dim, seed=seed + 2))


def test_causal_mask_values(ex):
    mask = ex.causal_mask(4)
    check_bool(mask, (4, 4), "causal_mask(4)")
    expected = torch.tensor([[1, 0, 0, 0], [1, 1, 0, 0], [1, 1, 1, 0], [1, 1, 1, 1]], dtype=torch.bool)
    assert torch.equal(mask, expected), (
        f"causal_mask(4) is\n{mask.int()}\nexpected (True = may attend; each token sees itself and the past)\n"
        f"{expected.int()}")


def test_causal_mask_matches_is_causal(ex):
    q, k, v = qkv(2, 3, 6, 4, seed=0)
    mask = ex.causal_mask(6)
    check_bool(mask, (6, 6), "causal_mask(6)")
    assert_tensor_close(F.scaled_dot_product_attention(q, k, v, attn_mask=mask),
                        F.scaled_dot_product_attention(q, k, v, is_causal=True), atol=1e-6, rtol=1e-5,
                        what="attention with causal_mask(6)", hint="is_causal=True lets query i see keys 0..i")


def test_combined_mask_values(ex):
    lengths = [5, 2, 4]
    key_padding = key_padding_for(lengths, 5)
    mask = ex.combine_masks(ex.causal_mask(5), key_padding)
    check_bool(mask, (3, 1, 5, 5), "combine_masks(...)")
    assert_tensor_equal(mask, expected_combined(lengths, 5), what="combined mask",
                        hint="key_padding is True at padding (invert it), it masks keys (the last dim), and padding "
                             "queries keep attending to the real keys")


def test_real_tokens_ignore_padding_and_the_future(ex):
    lengths = [6, 3]
    q, k, v = qkv(2, 2, 6, 4, seed=10)
    mask = ex.combine_masks(ex.causal_mask(6), key_padding_for(lengths, 6))
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    assert_finite(out, what="attention output", hint="a query row with nothing to attend to")
    for b, length in enumerate(lengths):
        alone = F.scaled_dot_product_attention(q[b:b + 1, :, :length], k[b:b + 1, :, :length],
                                               v[b:b + 1, :, :length], is_causal=True)
        assert_tensor_close(out[b:b + 1, :, :length], alone, atol=1e-6, rtol=1e-5,
                            what=f"outputs of the {length} real tokens of sequence {b}",
                            hint="a real token attended to padding or to a later token")


def test_built_on_the_requested_device(ex):
    """The meta device shows, without a GPU, a mask built on the CPU whatever device was asked for."""
    mask = ex.causal_mask(3, device="meta")
    assert mask.device.type == "meta", (
        f"causal_mask(3, device='meta') is on {mask.device}; expected meta: pass device= to the factory "
        "(torch.ones(..., device=device)) instead of building on the CPU")
    check_bool(mask, (3, 3), "causal_mask(3, device='meta')")
    combined = ex.combine_masks(mask, torch.zeros(2, 3, dtype=torch.bool, device="meta"))
    assert combined.device.type == "meta", (
        f"combine_masks of meta tensors returned one on {combined.device}; build the result from the inputs")
    check_bool(combined, (2, 1, 3, 3), "combine_masks of meta tensors")
