"""07_sequences/teacher_forcing: ratio 1 feeds the targets, ratio 0 the predictions, a seed fixes the mix."""

import random

import torch
from torch import nn

from helpers import assert_shape, assert_tensor_close, randn

VOCAB, HIDDEN, PREDICTABLE = 7, 8, 4  # the decoder only ever predicts tokens 0..3; targets use 4..6


class ToyDecoder(nn.Module):
    """Embedding + GRU cell + linear head, biased so that its argmax is always a token below PREDICTABLE."""

    def __init__(self, seed: int = 0) -> None:
        super().__init__()
        torch.manual_seed(seed)
        self.embedding = nn.Embedding(VOCAB, HIDDEN)
        self.cell = nn.GRUCell(HIDDEN, HIDDEN)
        self.head = nn.Linear(HIDDEN, VOCAB)
        with torch.no_grad():
            self.head.bias[PREDICTABLE:] = -1e3

    def forward(self, tokens: torch.Tensor, state: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        state = self.cell(self.embedding(tokens), state)
        return self.head(state), state


class Spy(nn.Module):
    """Wraps a decoder and records the tokens fed at every call."""

    def __init__(self, decoder: nn.Module) -> None:
        super().__init__()
        self.decoder = decoder
        self.fed: list[torch.Tensor] = []

    def forward(self, tokens, state):
        assert tokens.dtype == torch.long and tokens.dim() == 1, (
            f"expected the decoder input to be a (batch,) int64 tensor of token ids, got {tokens.dtype} of shape "
            f"{tuple(tokens.shape)} (feed logits.argmax(dim=-1), not the logits or probabilities)")
        self.fed.append(tokens.detach().clone())
        return self.decoder(tokens, state)


def make_targets(batch: int, steps: int, seed: int) -> torch.Tensor:
    return torch.randint(PREDICTABLE, VOCAB, (batch, steps), generator=torch.Generator().manual_seed(seed))


def reference_decode(decoder, encoder_state, targets, forced: list[bool]) -> torch.Tensor:
    """forced[t - 1] says whether the input after call t is the ground truth (the last call needs no choice)."""
    inputs, state, out = targets[:, 0], encoder_state, []
    for t in range(1, targets.shape[1]):
        logits, state = decoder(inputs, state)
        out.append(logits)
        if t < targets.shape[1] - 1:
            inputs = targets[:, t] if forced[t - 1] else logits.argmax(dim=-1)
    return torch.stack(out, dim=1)


def run(ex, ratio, batch=3, steps=6, seed=0, generator_seed=0):
    spy = Spy(ToyDecoder(seed))
    state, targets = randn(batch, HIDDEN, seed=seed + 50), make_targets(batch, steps, seed + 60)
    generator = torch.Generator().manual_seed(generator_seed) if generator_seed is not None else None
    logits = ex.decode(spy, state, targets, ratio, generator)
    assert_shape(logits, (batch, steps - 1, VOCAB), what="decode() logits",
                 hint="one (batch, vocab) logits per decoder call, T - 1 calls, stacked on dim 1")
    assert len(spy.fed) == steps - 1, f"expected {steps - 1} decoder calls for T={steps}, got {len(spy.fed)}"
    return spy, state, targets, logits


def forced_pattern(spy) -> list[bool]:
    """Which inputs after the first were ground truth (targets use tokens the decoder never predicts)."""
    return [bool((fed >= PREDICTABLE).all()) for fed in spy.fed[1:]]


def test_ratio_one_feeds_the_targets(ex):
    spy, state, targets, logits = run(ex, 1.0)
    for t, fed in enumerate(spy.fed):
        assert torch.equal(fed, targets[:, t]), (
            f"ratio 1: call {t + 1} was fed {fed.tolist()}, expected targets[:, {t}] = {targets[:, t].tolist()} "
            "(the first input is targets[:, 0]; after call t comes the ground truth targets[:, t])")
    assert_tensor_close(logits, reference_decode(spy.decoder, state, targets, [True] * 5), atol=1e-5, rtol=1e-4,
                        what="logits at ratio 1", hint="carry the state returned by each call into the next")


def test_ratio_zero_feeds_the_predictions(ex):
    spy, state, targets, logits = run(ex, 0.0)
    assert torch.equal(spy.fed[0], targets[:, 0]), "the first input must be the start token targets[:, 0]"
    for t in range(1, len(spy.fed)):
        expected = logits[:, t - 1].argmax(dim=-1)
        assert torch.equal(spy.fed[t], expected), (
            f"ratio 0: call {t + 1} was fed {spy.fed[t].tolist()}, expected the previous call's prediction "
            f"{expected.tolist()} (argmax of its logits)")
    assert_tensor_close(logits, reference_decode(spy.decoder, state, targets, [False] * 5), atol=1e-5, rtol=1e-4,
                        what="logits at ratio 0")


def test_a_seeded_generator_makes_the_mix_reproducible(ex):
    patterns = []
    for global_seed in (1, 2):
        torch.manual_seed(global_seed)  # the global RNGs differ between the runs; the generator seed does not
        random.seed(global_seed)
        spy, _, _, logits = run(ex, 0.5, steps=25, generator_seed=123)
        patterns.append((forced_pattern(spy), logits.detach()))
    assert patterns[0][0] == patterns[1][0], (
        "two runs with the same generator seed forced different steps: draw the coin from `generator` "
        "(torch.rand((), generator=generator)), not from random.random() or the global torch RNG")
    assert torch.equal(patterns[0][1], patterns[1][1]), "two runs with the same generator seed gave different logits"
    forced = sum(patterns[0][0])
    assert 2 <= forced <= 22, f"ratio 0.5 forced {forced} of 24 steps: expected a mix of ground truth and predictions"


def test_logits_keep_their_graph(ex):
    spy, _, _, logits = run(ex, 0.5)
    assert logits.requires_grad and logits.grad_fn is not None, (
        "the returned logits carry no autograd graph: the loss could not train the decoder (no .detach(), no no_grad)")
    logits.logsumexp(dim=-1).sum().backward()
    assert spy.decoder.cell.weight_hh.grad is not None, "the decoder's GRU cell got no gradient"


def test_each_coin_is_drawn_after_its_call_and_compared_below_the_ratio(ex):
    ratio, steps = 0.3, 14
    spy, *_ = run(ex, ratio, steps=steps, generator_seed=31)
    replay = torch.Generator().manual_seed(31)
    coins = [torch.rand((), generator=replay).item() for _ in range(steps - 1)]
    expected = [coin < ratio for coin in coins[:-1]]  # the coin after call t decides the input of call t + 1
    got = forced_pattern(spy)
    assert got == expected, (
        f"ratio {ratio}, generator seed 31: calls 2..{steps - 1} got the ground truth at {got}, expected {expected} "
        "from the coins torch.rand((), generator=generator) drawn after each call, ground truth when coin < ratio "
        "(a coin drawn before the call, or a comparison like coin > 1 - ratio, gives another pattern)")
