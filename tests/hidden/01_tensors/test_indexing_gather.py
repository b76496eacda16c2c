"""01_tensors/indexing_gather, hidden: gradients, other dims, NaN/inf padding, edge values of k."""

import pytest
import torch

from helpers import (assert_finite, assert_tensor_close, assert_tensor_equal, assert_vectorised, randn,
                     visible_tests)

visible = visible_tests(__file__)


@pytest.mark.parametrize("n,c", [(1, 1), (1, 5), (6, 2), (4, 4)])
def test_pick_class_scores_for_many_shapes(ex, n, c):
    logits = randn(n, c, seed=10 * n + c, dtype=torch.float64)
    labels = torch.randint(0, c, (n,), generator=torch.Generator().manual_seed(n + c))
    assert_tensor_equal(ex.pick_class_scores(logits, labels), visible.reference_pick(logits, labels),
                        what=f"pick_class_scores(logits ({n}, {c}), labels ({n},))",
                        hint="expected shape (N,) and logits' dtype: one score per row, at that row's label")


def test_pick_class_scores_gradient_reaches_only_the_picked_entries(ex):
    logits = randn(4, 3, seed=11).requires_grad_()
    labels = torch.tensor([1, 1, 0, 2])
    ex.pick_class_scores(logits, labels).sum().backward()
    expected = torch.zeros(4, 3)
    expected[torch.arange(4), labels] = 1.0
    assert logits.grad is not None, "logits.grad is None: the result left the autograd graph (.item(), .detach()?)"
    assert_tensor_equal(logits.grad, expected, what="d sum(picked) / d logits",
                        hint="each row's gradient must be 1 at its label and 0 elsewhere")


@pytest.mark.parametrize("dim", [0, -1])
def test_masked_mean_along_other_dims(ex, dim):
    x = randn(4, 5, seed=12, dtype=torch.float64)
    mask = torch.rand(4, 5, generator=torch.Generator().manual_seed(13)) > 0.4
    mask[:, 0] = True  # every row has an entry
    mask[0] = True  # every column has an entry
    expected = torch.stack([s[m].mean() for s, m in zip(x.movedim(dim, 0).T, mask.movedim(dim, 0).T)])
    assert_tensor_close(ex.masked_mean(x, mask, dim=dim), expected, atol=1e-12, rtol=1e-12,
                        what=f"masked_mean(x (4, 5), mask, dim={dim})",
                        hint="reduce along the given dim and keep x's dtype")


@pytest.mark.parametrize("pad", [float("nan"), float("inf"), float("-inf")], ids=["nan", "inf", "-inf"])
def test_masked_mean_ignores_non_finite_padding(ex, pad):
    lengths = [2, 4, 0]
    x, mask = visible.padded_sentences(lengths, max_len=4, dim=3, seed=14, pad=pad)
    out = ex.masked_mean(x, mask, dim=1)
    assert_finite(out, what=f"masked_mean with padding holding {pad}",
                  hint="x * mask still gives NaN where x is NaN or inf (NaN * 0 = inf * 0 = NaN); select with "
                       "torch.where(mask, x, 0) instead")
    assert_tensor_close(out, visible.reference_sentence_means(x, lengths), atol=1e-5, rtol=1e-5,
                        what=f"masked_mean with padding holding {pad}")


def test_masked_mean_averages_kept_non_finite_values_as_they_are(ex):
    x = torch.tensor([[1.0, float("nan"), 3.0], [float("inf"), 1.0, float("nan")], [2.0, 4.0, float("-inf")]])
    mask = torch.tensor([[True, True, False], [True, True, False], [True, True, False]])
    out = ex.masked_mean(x, mask, dim=1)
    expected = torch.tensor([float("nan"), float("inf"), 3.0])
    assert isinstance(out, torch.Tensor) and tuple(out.shape) == (3,), (
        f"masked_mean(x (3, 3), mask, dim=1): expected a tensor of shape (3,), got {out!r}")
    assert bool(out[0].isnan()) and out[1].item() == float("inf") and abs(out[2].item() - 3.0) < 1e-6, (
        f"masked_mean with a kept NaN (row 0) and a kept inf (row 1): expected {expected.tolist()}, got "
        f"{out.tolist()}; likely cause: NaN used as the padding marker (nanmean) also skips kept NaN, and "
        "nan_to_num turns a kept inf into the largest float; keep the kept entries as they are")


def test_pick_class_scores_with_masked_out_classes(ex):
    inf = float("inf")
    logits = torch.tensor([[0.5, -inf, 2.0], [-inf, -inf, 1.5], [-inf, 3.0, -1.0]])
    labels = torch.tensor([2, 2, 0])
    assert_tensor_equal(ex.pick_class_scores(logits, labels), torch.tensor([2.0, 1.5, -inf]),
                        what="pick_class_scores with -inf logits for masked-out classes",
                        hint="a one-hot product (logits * one_hot).sum(1) gives -inf * 0 = NaN for every row "
                             "holding a -inf; index the entry instead (gather or logits[arange(N), labels])")


def test_masked_mean_all_true_is_the_plain_mean_and_all_false_is_zero(ex):
    x = randn(3, 4, seed=15)
    assert_tensor_close(ex.masked_mean(x, torch.ones(3, 4, dtype=torch.bool), dim=1), x.mean(dim=1), atol=1e-6,
                        rtol=1e-6, what="masked_mean with every entry kept")
    assert_tensor_equal(ex.masked_mean(x, torch.zeros(3, 4, dtype=torch.bool), dim=0), torch.zeros(4),
                        what="masked_mean with every entry masked out", hint="an empty slice has mean 0.0")


def test_masked_mean_leaves_inputs_unchanged(ex):
    x, mask = visible.padded_sentences([1, 3], max_len=3, dim=2, seed=16)
    x_before, mask_before = x.clone(), mask.clone()
    assert_tensor_close(ex.masked_mean(x, mask, dim=1), visible.reference_sentence_means(x_before, [1, 3]),
                        atol=1e-5, rtol=1e-5, what="masked_mean(x (2, 3, 2), mask, dim=1)")
    assert_tensor_equal(x, x_before, what="x after masked_mean", hint="padding zeroed in place in the caller's x")
    assert_tensor_equal(mask, mask_before, what="mask after masked_mean")


def test_topk_edge_values_of_k(ex):
    x = randn(5, 4, seed=17) - 3.0  # all negative: a zero fill would beat every value
    assert_tensor_equal(ex.topk_indices_per_row(x, 1), x.argmax(dim=1, keepdim=True),
                        what="topk_indices_per_row(x, k=1)", hint="k=1 is each row's argmax, shape (N, 1)")
    assert_tensor_equal(ex.topk_indices_per_row(x, 4), x.argsort(dim=1, descending=True),
                        what="topk_indices_per_row(x, k=C)", hint="k=C sorts every column index, largest first")
    assert_tensor_equal(ex.topk_indices_per_row(x, 0), torch.zeros(5, 0, dtype=torch.int64),
                        what="topk_indices_per_row(x, k=0)", hint="k=0 gives an (N, 0) int64 tensor")


def test_topk_on_a_tall_batch(ex):
    x = randn(9, 3, seed=18, dtype=torch.float64)
    assert_tensor_equal(ex.topk_indices_per_row(x, 2), x.argsort(dim=1, descending=True)[:, :2],
                        what="topk_indices_per_row(x (9, 3), k=2)",
                        hint="top-k along each row (dim=1), not down each column")


def test_topk_is_vectorised(ex):
    rows = {n: randn(n, 6, seed=n) for n in (3, 12)}
    assert_vectorised(lambda n: ex.topk_indices_per_row(rows[n], 2), small=3, large=12,
                      what="topk_indices_per_row with N = 3 and N = 12")
