"""Known-wrong: concatenates the backward half before the forward half."""

from __future__ import annotations

import torch


def final_states(
    output: torch.Tensor, h_n: torch.Tensor, num_layers: int, bidirectional: bool
) -> tuple[torch.Tensor, torch.Tensor]:
    """``(from_output, from_h_n)``: the last layer's final states, forward then backward, ``(batch, D * hidden)``."""
    hidden = h_n.shape[-1]
    if bidirectional:
        # the forward direction ends at the last step; the backward direction ends at step 0, where it finishes
        from_output = torch.cat([output[:, 0, hidden:], output[:, -1, :hidden]], dim=1)
    else:
        from_output = output[:, -1]
    last_layer = _layers_and_directions(h_n, num_layers, bidirectional)[-1]  # (directions, batch, hidden)
    # cat along features keeps each batch row intact; a reshape of (directions, batch, hidden) would mix rows
    from_h_n = torch.cat(list(last_layer.flip(0)), dim=1)
    return from_output, from_h_n


def state_of(h_n: torch.Tensor, num_layers: int, bidirectional: bool, layer: int, direction: int) -> torch.Tensor:
    """The ``(batch, hidden)`` final state of one layer and one direction (0 forward, 1 backward)."""
    directions = 2 if bidirectional else 1
    if not 0 <= direction < directions:
        raise ValueError(f"direction {direction} does not exist in a {directions}-directional LSTM")
    return _layers_and_directions(h_n, num_layers, bidirectional)[layer, direction]


def _layers_and_directions(h_n: torch.Tensor, num_layers: int, bidirectional: bool) -> torch.Tensor:
    directions = 2 if bidirectional else 1
    return h_n.view(num_layers, directions, h_n.shape[1], h_n.shape[2])
