"""01_tensors/indexing_gather: per-row picks, padding-aware means and top-k indices, all vectorised."""

import torch

from helpers import assert_finite, assert_tensor_close, assert_tensor_equal, assert_vectorised, randn

PAD_VALUE = 100.0  # padding that is far from every real value, so including it anywhere shows


def reference_pick(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return torch.stack([logits[n, labels[n]] for n in range(len(labels))])


def padded_sentences(lengths: list[int], max_len: int, dim: int, seed: int, pad=PAD_VALUE):
    """Embeddings (B, max_len, dim) whose padding holds ``pad``, and the bool mask of the real tokens."""
    x = randn(len(lengths), max_len, dim, seed=seed)
    real = torch.arange(max_len)[None, :] < torch.tensor(lengths)[:, None]  # (B, max_len)
    mask = real[:, :, None].expand_as(x).clone()  # same shape as x, as the stub asks
    x[~mask] = pad
    return x, mask


def reference_sentence_means(x: torch.Tensor, lengths: list[int]) -> torch.Tensor:
    return torch.stack([x[b, :n].mean(dim=0) if n else torch.zeros(x.shape[-1]) for b, n in enumerate(lengths)])


def test_pick_class_scores_pairs_each_row_with_its_label(ex):
    logits, labels = randn(5, 3, seed=1), torch.tensor([2, 0, 1, 1, 2])
    assert_tensor_equal(ex.pick_class_scores(logits, labels), reference_pick(logits, labels),
                        what="pick_class_scores(logits (5, 3), labels (5,))",
                        hint="logits[:, labels] scores every row at every label (N x N); row n needs labels[n]: "
                             "logits.gather(1, labels[:, None]) or logits[torch.arange(N), labels]")


def test_pick_class_scores_is_vectorised(ex):
    batches = {n: (randn(n, 4, seed=n), torch.arange(n) % 4) for n in (3, 12)}
    assert_vectorised(lambda n: ex.pick_class_scores(*batches[n]), small=3, large=12,
                      what="pick_class_scores with N = 3 and N = 12")


def test_masked_mean_skips_padding(ex):
    lengths = [5, 2, 3]
    x, mask = padded_sentences(lengths, max_len=5, dim=4, seed=2)
    assert_tensor_close(ex.masked_mean(x, mask, dim=1), reference_sentence_means(x, lengths), atol=1e-5, rtol=1e-5,
                        what="masked_mean(x (3, 5, 4), mask, dim=1) for sentences of lengths [5, 2, 3]",
                        hint="sum only the real tokens and divide by how many there are (mask.sum(dim)), "
                             "not by the padded length")


def test_masked_mean_of_an_empty_sentence_is_zero(ex):
    lengths = [3, 0, 1]
    x, mask = padded_sentences(lengths, max_len=4, dim=2, seed=3)
    out = ex.masked_mean(x, mask, dim=1)
    assert_finite(out, what="masked_mean with a fully masked slice",
                  hint="0 / 0 is NaN: divide by the count clamped to at least 1 (the sum is 0 there anyway)")
    assert_tensor_close(out, reference_sentence_means(x, lengths), atol=1e-5, rtol=1e-5,
                        what="masked_mean for sentences of lengths [3, 0, 1]",
                        hint="a slice with no True entry has mean 0.0")


def test_masked_mean_is_vectorised(ex):
    batches = {n: padded_sentences([(3 * b) % 5 for b in range(n)], max_len=4, dim=2, seed=n) for n in (3, 12)}
    assert_vectorised(lambda n: ex.masked_mean(*batches[n], dim=1), small=3, large=12,
                      what="masked_mean with B = 3 and B = 12 sentences")


def test_topk_indices_largest_first(ex):
    x = randn(4, 6, seed=4)
    assert_tensor_equal(ex.topk_indices_per_row(x, 3), x.argsort(dim=1, descending=True)[:, :3],
                        what="topk_indices_per_row(x (4, 6), k=3)",
                        hint="expected int64 column indices of each row's 3 largest values, largest first, "
                             "shape (N, k): torch.topk(x, k, dim=1).indices")
