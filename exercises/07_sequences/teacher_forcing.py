"""Teacher forcing: feed the decoder the ground truth or its own guess, step by step, reproducibly.

Scenario (003 Q66, Q69). A sequence-to-sequence model that turns error logs into short summaries trains fast with
the ground-truth previous token as every decoder input (teacher forcing), then produces garbage at inference,
where it must consume its own predictions and has never practised recovering from a mistake. The usual fix mixes
both during training: at each step, with probability ``teacher_forcing_ratio`` the next input is the ground
truth, otherwise the decoder's own prediction. For runs to be comparable, that coin must come from a seeded
``torch.Generator``, not from Python's ``random`` or the global RNG that everything else also draws from.

The decoder is any module with ``decoder(tokens, state) -> (logits, new_state)``: ``tokens`` ``(batch,)`` int64,
``logits`` ``(batch, vocab)``; ``state`` is whatever it returns (start with ``encoder_state``).

Task: ``decode(decoder, encoder_state, targets, teacher_forcing_ratio, generator=None)``. ``targets`` is
``(batch, T)`` int64 with ``T >= 2`` and ``targets[:, 0]`` is the start token, the first input. Call the decoder
``T - 1`` times, carrying its state; call ``t`` (1-based) predicts ``targets[:, t]``. After each call (the last one
included, although its coin goes unused: ``T - 1`` draws in all), draw one uniform number for the whole batch,
``torch.rand((), generator=generator)``: below ``teacher_forcing_ratio`` the next input is the ground truth
``targets[:, t]``, otherwise the decoder's own prediction (the argmax of the logits it just produced). Return the
logits of every call stacked, ``(batch, T - 1, vocab)``, still attached to the autograd graph for the loss.
Ratio 1 always feeds the ground truth, ratio 0 never does, and the same seed gives the same run.
"""

from __future__ import annotations

import torch
from torch import nn


def decode(
    decoder: nn.Module,
    encoder_state: torch.Tensor,
    targets: torch.Tensor,
    teacher_forcing_ratio: float,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Logits ``(batch, T - 1, vocab)`` for ``targets[:, 1:]``, mixing ground truth and predictions as inputs."""
    # TODO: a loop over the T - 1 steps; torch.rand((), generator=generator) draws from the seeded generator
    raise NotImplementedError("07_sequences/teacher_forcing: run the decoder step by step with teacher forcing")
