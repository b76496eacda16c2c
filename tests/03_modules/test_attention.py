"""03_modules/attention: scaled dot-product attention from scratch, and multi-head self-attention."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from helpers import assert_finite, assert_shape, assert_tensor_close, randn


def qkv(batch=(2, 3), length=5, source=7, dim=8, value_dim=4, seed=0, dtype=torch.float64, device="cpu"):
    return (randn(*batch, length, dim, seed=seed, dtype=dtype, device=device),
            randn(*batch, source, dim, seed=seed + 1, dtype=dtype, device=device),
            randn(*batch, source, value_dim, seed=seed + 2, dtype=dtype, device=device))


def reference(q, k, v, mask=None, causal=False):
    """F.scaled_dot_product_attention, with causal and mask folded into one boolean mask (it takes only one)."""
    if causal:
        lower = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool, device=q.device).tril()
        mask = lower if mask is None else mask & lower
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


def attend(ex, q, k, v, **kwargs):
    out = ex.scaled_dot_product_attention(q, k, v, **kwargs)
    assert_shape(out, tuple(q.shape[:-1]) + (v.shape[-1],), "attention output",
                 hint="the output has one row per query and the values' width: (..., L, Ev)")
    return out


def key_padding_mask(lengths, source, device="cpu"):
    """(N, 1, 1, S): True for the first `length` keys of each sequence."""
    keep = torch.arange(source, device=device)[None, :] < torch.tensor(lengths, device=device)[:, None]
    return keep[:, None, None, :]


def test_matches_f_sdpa_without_mask(ex, device):
    q, k, v = qkv(device=device)
    assert_tensor_close(attend(ex, q, k, v), reference(q, k, v), atol=1e-10, rtol=1e-10, what="attention output",
                        hint="scale the scores by 1/sqrt(E) (E = q.shape[-1]) and softmax over the keys (dim=-1)")


def test_causal_mask(ex, device):
    q, k, v = qkv(length=6, source=6, seed=3, device=device)
    out = attend(ex, q, k, v, causal=True)
    assert_tensor_close(out, reference(q, k, v, causal=True), atol=1e-10, rtol=1e-10, what="causal attention",
                        hint="query i may attend to keys j <= i: keep the lower triangle (tril), mask the rest")
    changed = v.clone()
    changed[..., 4:, :] += 100.0  # the future of positions 0..3
    assert_tensor_close(attend(ex, q, k, changed, causal=True)[..., :4, :], out[..., :4, :], atol=1e-10, rtol=1e-10,
                        what="causal outputs of positions 0-3 after changing the values of positions 4-5",
                        hint="a causal query must not see the future")


def test_padding_mask(ex, device):
    q, k, v = qkv(batch=(3, 2), seed=4, device=device)
    mask = key_padding_mask([7, 4, 1], 7, device=device)
    out = attend(ex, q, k, v, mask=mask)
    assert_tensor_close(out, reference(q, k, v, mask=mask), atol=1e-10, rtol=1e-10, what="attention with padding",
                        hint="True means 'may attend' (F.scaled_dot_product_attention's convention), False is masked")
    junk = v.clone()
    junk[1, :, 4:, :] = 1e6  # padding values of sequence 1
    assert_tensor_close(attend(ex, q, k, junk, mask=mask), out, atol=1e-10, rtol=1e-10,
                        what="output after changing the padded values", hint="masked keys must get weight exactly 0")


def test_fully_masked_rows_give_zeros_not_nan(ex):
    q, k, v = qkv(batch=(2,), length=4, source=5, seed=5)
    mask = torch.ones(2, 4, 5, dtype=torch.bool)
    mask[0, 1] = False  # query 1 of sequence 0 may attend to nothing
    q.requires_grad_()
    k.requires_grad_()
    v.requires_grad_()
    out = attend(ex, q, k, v, mask=mask)
    assert_finite(out, "output with a fully masked row",
                  hint="masked_fill(-inf) then softmax gives 0/0 = NaN on a row with no allowed key")
    assert_tensor_close(out[0, 1], torch.zeros(4, dtype=torch.float64), atol=0, rtol=0,
                        what="output of the fully masked query", hint="the documented choice is zeros for such rows")
    rows = torch.ones(2, 4, dtype=torch.bool)
    rows[0, 1] = False
    assert_tensor_close(out[rows], reference(q, k, v, mask=mask)[rows], atol=1e-10, rtol=1e-10,
                        what="outputs of the other queries")
    (out * randn(*out.shape, seed=6, dtype=torch.float64)).sum().backward()
    for name, tensor in (("q", q), ("k", k), ("v", v)):
        assert_finite(tensor.grad, f"{name}.grad with a fully masked row",
                      hint="the softmax of an all -inf row is NaN in the backward pass too, and zeroing the "
                           "weights afterwards does not stop it: give the empty row finite scores before the "
                           "softmax, then zero its weights")
    assert_tensor_close(q.grad[0, 1], torch.zeros(8, dtype=torch.float64), atol=0, rtol=0,
                        what="gradient of the fully masked query")


def test_large_scores_are_stable(ex):
    q, k, v = qkv(batch=(2,), length=4, source=6, dim=8, seed=7, dtype=torch.float32)
    q, k = q * 60, k * 60  # scores of several hundred: exp() overflows float32 without the max shift
    out = attend(ex, q, k, v)
    assert_finite(out, "output for large scores",
                  hint="exp(scores) overflows: subtract the row max or use torch.softmax")
    expected = reference(q.double(), k.double(), v.double()).float()
    assert_tensor_close(out, expected, atol=1e-3, rtol=1e-3, what="output for large scores")


def load_from_multihead(ex, mha: nn.MultiheadAttention) -> nn.Module:
    attention = ex.SelfAttention(mha.embed_dim, mha.num_heads)
    with torch.no_grad():
        attention.qkv.weight.copy_(mha.in_proj_weight)
        attention.qkv.bias.copy_(mha.in_proj_bias)
        attention.proj.weight.copy_(mha.out_proj.weight)
        attention.proj.bias.copy_(mha.out_proj.bias)
    return attention


@pytest.mark.parametrize("heads", [1, 2, 4])
def test_self_attention_matches_multihead_attention(ex, heads):
    torch.manual_seed(8)
    mha = nn.MultiheadAttention(8, heads, batch_first=True).train()  # train(): the plain, non-fused path
    attention = load_from_multihead(ex, mha)
    x = randn(2, 5, 8, seed=9)
    expected, _ = mha(x, x, x, need_weights=False)
    assert_tensor_close(attention(x), expected, atol=1e-5, rtol=1e-5, what=f"SelfAttention(8, {heads}) output",
                        hint="split qkv's output into q | k | v, then each into heads; (N, L, E) -> (N, heads, L, d) "
                             "needs a reshape to (N, L, heads, d) and a transpose, not a view")


def test_self_attention_with_causal_and_padding_masks(ex):
    torch.manual_seed(10)
    mha = nn.MultiheadAttention(8, 2, batch_first=True).train()
    attention = load_from_multihead(ex, mha)
    x = randn(3, 6, 8, seed=11)
    keep = torch.arange(6)[None, :] < torch.tensor([6, 4, 2])[:, None]
    future = torch.ones(6, 6, dtype=torch.bool).triu(1)
    # nn.MultiheadAttention's boolean masks use the opposite convention: True means "do not attend"
    expected, _ = mha(x, x, x, key_padding_mask=~keep, attn_mask=future, need_weights=False)
    out = attention(x, mask=keep[:, None, None, :], causal=True)
    assert_tensor_close(out, expected, atol=1e-5, rtol=1e-5, what="SelfAttention output with causal + padding masks")


def test_indivisible_embed_dim_raises(ex):
    try:
        ex.SelfAttention(10, 3)
    except ValueError:
        return
    raise AssertionError("expected ValueError for SelfAttention(10, 3): 10 features cannot split into 3 equal heads")
