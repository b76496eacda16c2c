"""07_sequences/packed_lstm: a sequence's logits do not depend on the padding around it or on its batch."""

import pytest
import torch

from helpers import assert_shape, assert_tensor_close

VOCAB, EMBED, HIDDEN, CLASSES = 20, 6, 5, 3


def make_model(ex, num_layers: int = 1, bidirectional: bool = False, seed: int = 0):
    torch.manual_seed(seed)
    return ex.LSTMClassifier(VOCAB, EMBED, HIDDEN, CLASSES, num_layers=num_layers, bidirectional=bidirectional).eval()


def make_sequences(lengths: list[int], seed: int) -> list[torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    return [torch.randint(1, VOCAB, (length,), generator=generator) for length in lengths]


def pad(sequences: list[torch.Tensor], max_len: int | None = None, garbage_seed: int | None = None):
    """(tokens, lengths): zeros past each end, or random tokens when garbage_seed is given."""
    max_len = max_len or max(len(s) for s in sequences)
    if garbage_seed is None:
        tokens = torch.zeros(len(sequences), max_len, dtype=torch.long)
    else:
        generator = torch.Generator().manual_seed(garbage_seed)
        tokens = torch.randint(0, VOCAB, (len(sequences), max_len), generator=generator)
    for row, sequence in enumerate(sequences):
        tokens[row, :len(sequence)] = sequence
    return tokens, torch.tensor([len(s) for s in sequences])


def reference_logits(model, sequence: torch.Tensor) -> torch.Tensor:
    """One sequence alone, no padding at all: the LSTM's last step is its true end in both directions."""
    with torch.no_grad():
        output, _ = model.lstm(model.embedding(sequence[None]))
        hidden = model.lstm.hidden_size
        state = output[0, -1, :hidden]
        if model.lstm.bidirectional:
            state = torch.cat([state, output[0, 0, hidden:]])
        return model.head(state)


def classify(model, tokens, lengths, what="logits") -> torch.Tensor:
    with torch.no_grad():
        logits = model(tokens, lengths)
    assert_shape(logits, (tokens.shape[0], CLASSES), what=what)
    return logits


HINT = ("the state at the last *padded* step has read the padding; pack the batch with pack_padded_sequence(..., "
        "enforce_sorted=False) and classify from h_n (its last layer, forward then backward)")


def check_against_reference(model, sequences, logits, what) -> None:
    for row, sequence in enumerate(sequences):
        assert_tensor_close(logits[row], reference_logits(model, sequence), atol=1e-5, rtol=1e-4,
                            what=f"{what}, row {row} (length {len(sequence)})", hint=HINT)


@pytest.mark.parametrize("num_layers, bidirectional, padding_idx", [(1, False, 0), (3, True, 4)])
def test_layers_are_built_from_the_arguments(ex, num_layers, bidirectional, padding_idx):
    """The reference logits come from the model's own layers, so their configuration is checked here (the
    defaults are num_layers=1, bidirectional=False, padding_idx=0)."""
    torch.manual_seed(0)
    if (num_layers, bidirectional, padding_idx) == (1, False, 0):
        model, args = ex.LSTMClassifier(VOCAB, EMBED, HIDDEN, CLASSES), "the default arguments"
    else:
        model = ex.LSTMClassifier(VOCAB, EMBED, HIDDEN, CLASSES, num_layers=num_layers,
                                  bidirectional=bidirectional, padding_idx=padding_idx)
        args = f"num_layers={num_layers}, bidirectional={bidirectional}, padding_idx={padding_idx}"
    assert type(model.embedding) is torch.nn.Embedding, f"self.embedding is {type(model.embedding).__name__}"
    got = (model.embedding.num_embeddings, model.embedding.embedding_dim, model.embedding.padding_idx)
    assert got == (VOCAB, EMBED, padding_idx), (
        f"with {args}: self.embedding has (num_embeddings, embedding_dim, padding_idx) {got}, expected "
        f"{(VOCAB, EMBED, padding_idx)}: pass padding_idx=padding_idx, not a fixed 0")
    assert type(model.lstm) is torch.nn.LSTM, f"self.lstm is {type(model.lstm).__name__}"
    lstm = model.lstm
    got = (lstm.input_size, lstm.hidden_size, lstm.num_layers, lstm.batch_first, lstm.bidirectional)
    want = (EMBED, HIDDEN, num_layers, True, bidirectional)
    assert got == want, (
        f"with {args}: self.lstm has (input_size, hidden_size, num_layers, batch_first, bidirectional) {got}, "
        f"expected {want}")
    directions = 2 if bidirectional else 1
    assert type(model.head) is torch.nn.Linear, f"self.head is {type(model.head).__name__}"
    got = (model.head.in_features, model.head.out_features)
    assert got == (directions * HIDDEN, CLASSES), (
        f"with {args}: self.head maps {got[0]} -> {got[1]}, expected {directions * HIDDEN} -> {CLASSES} "
        "(num_directions * hidden_size features in)")


def test_logits_equal_each_sequence_classified_alone(ex):
    model = make_model(ex)
    sequences = make_sequences([5, 2, 7, 3], seed=1)
    check_against_reference(model, sequences, classify(model, *pad(sequences)), "logits")


def test_padding_around_a_sequence_does_not_change_its_logits(ex):
    model = make_model(ex)
    short, long = make_sequences([3, 9], seed=2)
    alone = classify(model, *pad([short]))[0]
    with_long = classify(model, *pad([short, long]))[0]
    extra = classify(model, *pad([long, short], max_len=12, garbage_seed=3))[1]
    for got, setting in [(with_long, "next to a 9-token sequence"), (extra, "padded to 12 with random tokens")]:
        assert_tensor_close(got, alone, atol=1e-5, rtol=1e-4, what=f"logits of a 3-token sequence {setting}",
                            hint=HINT)


def test_unsorted_lengths_are_accepted(ex):
    model = make_model(ex)
    sequences = make_sequences([2, 6, 4], seed=4)
    try:
        logits = classify(model, *pad(sequences))
    except RuntimeError as err:
        pytest.fail(f"lengths [2, 6, 4] raised `{str(err).splitlines()[0]}`: pass enforce_sorted=False to "
                    "pack_padded_sequence (or sort, then restore the caller's order)", pytrace=False)
    check_against_reference(model, sequences, logits, "logits for unsorted lengths")


def test_bidirectional(ex):
    model = make_model(ex, bidirectional=True, seed=5)
    sequences = make_sequences([4, 8, 1], seed=6)
    check_against_reference(model, sequences, classify(model, *pad(sequences, garbage_seed=7)),
                            "bidirectional logits")
