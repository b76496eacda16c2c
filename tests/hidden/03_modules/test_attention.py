"""03_modules/attention, hidden: shapes, rectangular causal masks, combined masks, gradients, vectorisation."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from helpers import (assert_finite, assert_shape, assert_tensor_close, assert_vectorised, count_aten_ops, randn,
                     visible_tests)

visible = visible_tests(__file__)


@pytest.mark.parametrize("batch,length,source", [((), 4, 4), ((3,), 1, 6), ((2, 2, 2), 6, 3)])
def test_other_shapes(ex, batch, length, source):
    q, k, v = visible.qkv(batch=batch, length=length, source=source, seed=20)
    assert_tensor_close(visible.attend(ex, q, k, v), visible.reference(q, k, v), atol=1e-10, rtol=1e-10,
                        what=f"attention for batch {batch}, L={length}, S={source}")


def test_scale_uses_the_key_dimension(ex):
    q, k, v = visible.qkv(batch=(2,), dim=16, value_dim=3, seed=21)
    assert_tensor_close(visible.attend(ex, q, k, v), visible.reference(q, k, v), atol=1e-10, rtol=1e-10,
                        what="attention with E=16, Ev=3", hint="divide by sqrt(E), the query/key width, not by E")


@pytest.mark.parametrize("length,source", [(3, 5), (5, 3)])
def test_rectangular_causal(ex, length, source):
    q, k, v = visible.qkv(batch=(2,), length=length, source=source, seed=22)
    assert_tensor_close(visible.attend(ex, q, k, v, causal=True), visible.reference(q, k, v, causal=True),
                        atol=1e-10, rtol=1e-10, what=f"causal attention with L={length}, S={source}",
                        hint="the causal mask is ones(L, S).tril(): aligned at the top-left corner")


def test_mask_and_causal_combine(ex):
    q, k, v = visible.qkv(batch=(3,), length=5, source=5, seed=23)
    mask = visible.key_padding_mask([5, 3, 2], 5)[:, 0]  # (N, 1, S)
    out = visible.attend(ex, q, k, v, mask=mask, causal=True)
    assert_tensor_close(out, visible.reference(q, k, v, mask=mask, causal=True), atol=1e-10, rtol=1e-10,
                        what="attention with both a padding mask and causal=True",
                        hint="a key must be allowed by both masks: combine them with &")


def test_two_dimensional_mask_broadcasts(ex):
    q, k, v = visible.qkv(batch=(2, 2), length=4, source=4, seed=24)
    mask = torch.rand(4, 4, generator=torch.Generator().manual_seed(25)) > 0.3
    mask[:, 0] = True
    assert_tensor_close(visible.attend(ex, q, k, v, mask=mask), visible.reference(q, k, v, mask=mask),
                        atol=1e-10, rtol=1e-10, what="attention with an (L, S) mask")


def test_gradients_match_reference(ex):
    q, k, v = visible.qkv(batch=(2,), length=3, source=4, dim=4, value_dim=2, seed=26)
    mask = visible.key_padding_mask([4, 2], 4)[:, 0]
    inputs = [t.clone().requires_grad_() for t in (q, k, v)]
    ref_inputs = [t.clone().requires_grad_() for t in (q, k, v)]
    upstream = randn(2, 3, 2, seed=27, dtype=torch.float64)
    (ex.scaled_dot_product_attention(*inputs, mask=mask, causal=True) * upstream).sum().backward()
    (visible.reference(*ref_inputs, mask=mask, causal=True) * upstream).sum().backward()
    for name, ours, theirs in zip("qkv", inputs, ref_inputs):
        assert_tensor_close(ours.grad, theirs.grad, atol=1e-10, rtol=1e-8, what=f"{name}.grad")


def test_every_row_masked_in_a_causal_padded_batch(ex):
    q, k, v = visible.qkv(batch=(2,), length=4, source=4, seed=28)
    mask = torch.zeros(2, 1, 4, dtype=torch.bool)  # sequence 0 is all padding
    mask[1] = True
    q.requires_grad_()
    out = visible.attend(ex, q, k, v, mask=mask, causal=True)
    assert torch.equal(out[0], torch.zeros_like(out[0])), "every query of an all-padding sequence should output zeros"
    out.sum().backward()
    assert_finite(q.grad, "q.grad for an all-padding sequence")


def test_dtype_is_kept(ex):
    q, k, v = visible.qkv(batch=(2,), seed=29, dtype=torch.float32)
    out = visible.attend(ex, q, k, v, mask=visible.key_padding_mask([7, 3], 7)[:, 0])
    assert out.dtype == torch.float32, f"float32 inputs should give a float32 output, got {out.dtype}"


def test_vectorised_over_batch_and_heads(ex):
    def run(batch: int) -> torch.Tensor:
        q, k, v = visible.qkv(batch=(batch, 2), length=4, source=4, dim=4, seed=30)
        return visible.attend(ex, q, k, v, mask=torch.ones(4, 4, dtype=torch.bool), causal=True)

    assert_vectorised(run, 1, 6, "scaled_dot_product_attention over (batch, 2 heads)")
    x = randn(2, 5, 8, seed=31)
    counts, outputs = [], []
    for heads in (2, 4):
        torch.manual_seed(32)
        attention = ex.SelfAttention(8, heads)
        counts.append(sum(count_aten_ops(lambda: outputs.append(attention(x))).values()))
        assert_shape(outputs[-1], (2, 5, 8), f"SelfAttention(8, {heads}) output for x of shape (2, 5, 8)",
                     hint="forward must return proj(merged heads), shaped like its input (N, L, embed_dim)")
    assert counts[0] == counts[1], (f"SelfAttention dispatched {counts[0]} aten ops with 2 heads and {counts[1]} with "
                                    "4: a Python loop over the heads; reshape the heads into a batch dimension")


def test_self_attention_head_layout_with_random_weights(ex):
    torch.manual_seed(33)
    attention = ex.SelfAttention(12, 3)
    x = randn(2, 4, 12, seed=34)
    names = sorted(name for name, _ in attention.named_parameters())
    assert names == ["proj.bias", "proj.weight", "qkv.bias", "qkv.weight"], f"unexpected parameters {names}"
    q, k, v = F.linear(x, attention.qkv.weight, attention.qkv.bias).chunk(3, dim=-1)

    def split(t: torch.Tensor) -> torch.Tensor:
        return t.reshape(2, 4, 3, 4).transpose(1, 2)

    heads = F.scaled_dot_product_attention(split(q), split(k), split(v), is_causal=True)
    expected = F.linear(heads.transpose(1, 2).reshape(2, 4, 12), attention.proj.weight, attention.proj.bias)
    assert_tensor_close(attention(x, causal=True), expected, atol=1e-5, rtol=1e-5, what="SelfAttention(12, 3) output")


def test_self_attention_fully_masked_rows_are_finite(ex):
    torch.manual_seed(35)
    attention = ex.SelfAttention(8, 2)
    x = randn(2, 4, 8, seed=36).requires_grad_()
    keep = torch.tensor([[False, True, True, True], [True, True, True, True]])
    out = attention(x, mask=keep[:, None, None, :], causal=True)  # query 0 of sequence 0 sees only padding
    assert_finite(out, "SelfAttention output")
    assert_tensor_close(out[0, 0], attention.proj.bias.detach(), atol=1e-6, rtol=0,
                        what="output of a query with no allowed key", hint="attention gives zeros, then proj adds bias")
    out.sum().backward()
    assert_finite(x.grad, "x.grad")
    for name, p in attention.named_parameters():
        assert_finite(p.grad, f"{name}.grad")


@pytest.mark.parametrize("embed_dim,heads", [(12, 5), (6, 4)])
def test_other_indivisible_sizes_raise(ex, embed_dim, heads):
    with pytest.raises(ValueError):
        ex.SelfAttention(embed_dim, heads)


def test_multihead_weights_load_for_larger_model(ex):
    torch.manual_seed(37)
    mha = nn.MultiheadAttention(16, 4, batch_first=True).train()
    attention = visible.load_from_multihead(ex, mha)
    x = randn(3, 7, 16, seed=38)
    expected, _ = mha(x, x, x, need_weights=False)
    assert_tensor_close(attention(x), expected, atol=1e-5, rtol=1e-5, what="SelfAttention(16, 4) output")


def test_large_scores_with_a_mask_are_stable(ex):
    q, k, v = visible.qkv(batch=(2,), length=4, source=6, dim=8, seed=40, dtype=torch.float32)
    q, k = q * 60, k * 60  # scores of several hundred: exp() overflows float32 without the max shift
    mask = visible.key_padding_mask([6, 3], 6)[:, 0]  # (N, 1, S)
    out = visible.attend(ex, q, k, v, mask=mask)
    assert_finite(out, "masked output for large scores",
                  hint="exp(scores) overflows on the masked path: subtract the row max (over the allowed keys) or "
                       "use torch.softmax there too")
    expected = visible.reference(q.double(), k.double(), v.double(), mask=mask).float()
    assert_tensor_close(out, expected, atol=1e-3, rtol=1e-3, what="masked output for large scores")


@pytest.mark.parametrize("with_mask", [False, True])
def test_causal_mask_is_built_on_the_inputs_device(ex, with_mask):
    # the meta device computes shapes only: a mask made on the CPU cannot meet meta inputs, as it could not
    # meet CUDA ones
    q, k, v = (torch.empty(2, 5, 8, device="meta"), torch.empty(2, 7, 8, device="meta"),
               torch.empty(2, 7, 4, device="meta"))
    mask = torch.ones(2, 1, 7, dtype=torch.bool, device="meta") if with_mask else None
    try:
        out = ex.scaled_dot_product_attention(q, k, v, mask=mask, causal=True)
    except (RuntimeError, NotImplementedError) as err:
        raise AssertionError(
            f"causal attention on meta inputs raised {type(err).__name__}: {str(err).splitlines()[0][:200]}\n"
            "  likely cause: the causal mask built on the CPU; create it with device=q.device") from None
    assert_shape(out, (2, 5, 4), "causal attention output on meta inputs")
    assert out.device.type == "meta", f"expected the output on the inputs' device (meta), got {out.device}"


def test_self_attention_causal_on_the_meta_device(ex):
    with torch.device("meta"):
        attention = ex.SelfAttention(12, 3)
        x = torch.empty(2, 5, 12)
    try:
        out = attention(x, causal=True)
    except (RuntimeError, NotImplementedError) as err:
        raise AssertionError(
            f"SelfAttention(12, 3) on meta inputs with causal=True raised {type(err).__name__}: "
            f"{str(err).splitlines()[0][:200]}\n  likely cause: a mask built on the CPU instead of x's device"
        ) from None
    assert_shape(out, (2, 5, 12), "self-attention output on meta inputs")
    assert out.device.type == "meta", f"expected the output on the inputs' device (meta), got {out.device}"
