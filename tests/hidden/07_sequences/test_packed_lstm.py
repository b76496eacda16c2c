"""07_sequences/packed_lstm, hidden: stacked bidirectional models, batch order, devices, gradients."""

import random

import torch

from helpers import assert_tensor_close, visible_tests

visible = visible_tests(__file__)


def test_stacked_bidirectional_random_batches(ex):
    model = visible.make_model(ex, num_layers=2, bidirectional=True, seed=8)
    rng = random.Random(63)
    for trial in range(3):
        lengths = [rng.randint(1, 9) for _ in range(rng.randint(2, 5))]
        sequences = visible.make_sequences(lengths, seed=trial)
        tokens, lengths_tensor = visible.pad(sequences, max_len=max(lengths) + rng.randint(0, 4), garbage_seed=trial)
        visible.check_against_reference(model, sequences, visible.classify(model, tokens, lengths_tensor),
                                         f"2-layer bidirectional logits for lengths {lengths}")


def test_batch_order_is_kept(ex):
    model = visible.make_model(ex, bidirectional=True, seed=9)
    sequences = visible.make_sequences([3, 7, 1, 5], seed=10)
    logits = visible.classify(model, *visible.pad(sequences))
    order = [2, 0, 3, 1]
    shuffled = visible.classify(model, *visible.pad([sequences[i] for i in order]))
    assert_tensor_close(shuffled, logits[order], atol=1e-5, rtol=1e-4, what="logits of a reordered batch",
                        hint="rows must come back in the caller's order (enforce_sorted=False restores it)")


def test_equal_lengths_and_single_tokens(ex):
    model = visible.make_model(ex, num_layers=2, seed=11)
    for lengths in ([4, 4, 4], [1, 1], [1, 6]):
        sequences = visible.make_sequences(lengths, seed=sum(lengths))
        visible.check_against_reference(model, sequences, visible.classify(model, *visible.pad(sequences)),
                                        f"logits for lengths {lengths}")


def test_lengths_on_the_models_device(ex, device):
    model = visible.make_model(ex, bidirectional=True, seed=12)
    sequences = visible.make_sequences([2, 5], seed=13)
    tokens, lengths = visible.pad(sequences, garbage_seed=14)
    expected = visible.classify(model, tokens, lengths)
    with torch.no_grad():
        got = model.to(device)(tokens.to(device), lengths.to(device))
    assert_tensor_close(got.cpu(), expected, atol=1e-4, rtol=1e-4, what=f"logits on {device}",
                        hint="pack_padded_sequence needs lengths on the CPU: lengths.cpu()")


def test_gradients_reach_the_lstm_and_the_embedding(ex):
    model = visible.make_model(ex, seed=15).train()
    tokens, lengths = visible.pad(visible.make_sequences([3, 6], seed=16))
    model(tokens, lengths).square().sum().backward()
    for name in ("embedding", "lstm", "head"):
        grads = [p.grad for p in getattr(model, name).parameters()]
        assert all(g is not None for g in grads) and any(g.abs().sum() > 0 for g in grads), (
            f"self.{name} received no gradient: is the head computed from the LSTM's states?")
