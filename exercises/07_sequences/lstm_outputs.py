"""What nn.LSTM returns: pick the right final states out of ``output`` and ``h_n``.

Scenario (003 Q61-Q65). A sentiment classifier feeds "the LSTM's last hidden state" to its head. With one layer
and one direction every reasonable guess works; switch on ``bidirectional=True`` and ``num_layers=2`` and the
usual guesses go quietly wrong: ``output[:, -1]`` holds the backward direction's *first* step (it has read one
token), ``h_n[-1]`` is only the backward half of the last layer, and a reshape of ``h_n`` interleaves the batch.
Nothing crashes, the model just learns worse.

Recall: with ``batch_first=True``, ``output`` is ``(batch, seq, num_directions * hidden)``, the forward half
first; ``h_n`` is ``(num_layers * num_directions, batch, hidden)`` whatever ``batch_first`` says, laid out
layer by layer: ``h_n.view(num_layers, num_directions, batch, hidden)``. Direction 0 is forward, 1 backward.

Task (every sequence has its full length here, no padding):
- ``final_states(output, h_n, num_layers, bidirectional)`` returns ``(from_output, from_h_n)``: the last layer's
  final hidden state of every direction, concatenated forward then backward, shape
  ``(batch, num_directions * hidden)``; the first computed from ``output`` alone, the second from ``h_n`` alone.
  (They are equal: that is the point.)
- ``state_of(h_n, num_layers, bidirectional, layer, direction)`` returns the ``(batch, hidden)`` final state of
  one layer (``layer`` from ``-num_layers`` to ``num_layers - 1``; ``-1`` is the last, as in Python) and one
  direction (``direction`` is 0 or 1); ``direction=1`` of a one-directional LSTM raises ``IndexError`` or
  ``ValueError``, whatever the layer. Other values of ``layer`` and ``direction`` are outside the contract.
"""

from __future__ import annotations

import torch


def final_states(
    output: torch.Tensor, h_n: torch.Tensor, num_layers: int, bidirectional: bool
) -> tuple[torch.Tensor, torch.Tensor]:
    """``(from_output, from_h_n)``: the last layer's final states, forward then backward, ``(batch, D * hidden)``."""
    # TODO: at which time step does each direction finish reading the sequence?
    raise NotImplementedError("07_sequences/lstm_outputs: slice the final states out of output and out of h_n")


def state_of(h_n: torch.Tensor, num_layers: int, bidirectional: bool, layer: int, direction: int) -> torch.Tensor:
    """The ``(batch, hidden)`` final state of one layer and one direction (0 forward, 1 backward)."""
    raise NotImplementedError("07_sequences/lstm_outputs: index h_n by layer and direction")
