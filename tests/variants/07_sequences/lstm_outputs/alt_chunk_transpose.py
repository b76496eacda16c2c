"""Known-correct alternative: chunk() on output, transpose-then-reshape of h_n, explicit index arithmetic in state_of."""
from __future__ import annotations

import torch



def _num_directions(bidirectional: bool) -> int:
    return 2 if bidirectional else 1


def final_states(
    output: torch.Tensor, h_n: torch.Tensor, num_layers: int, bidirectional: bool
) -> tuple[torch.Tensor, torch.Tensor]:
    D = _num_directions(bidirectional)
    halves = output.chunk(D, dim=-1)
    # forward finishes at the last step, backward at the first one
    ends = [halves[0][:, -1]] + ([halves[1][:, 0]] if D == 2 else [])
    from_output = torch.cat(ends, dim=-1)
    last_layer = h_n[-D:]  # (D, batch, hidden)
    from_h_n = last_layer.transpose(0, 1).reshape(h_n.shape[1], D * h_n.shape[2])
    return from_output, from_h_n


def state_of(h_n: torch.Tensor, num_layers: int, bidirectional: bool, layer: int, direction: int) -> torch.Tensor:
    D = _num_directions(bidirectional)
    if not 0 <= direction < D:
        raise ValueError(f"direction {direction} for a {D}-directional LSTM")
    if layer < 0:
        layer += num_layers
    if not 0 <= layer < num_layers:
        raise IndexError(f"layer out of range for {num_layers} layers")
    return h_n[layer * D + direction]
