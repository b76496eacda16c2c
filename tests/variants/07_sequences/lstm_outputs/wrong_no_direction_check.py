"""Known-wrong: state_of indexes h_n[layer * D + direction] with no check, so direction=1 of a 1-direction LSTM returns the next layer."""
from __future__ import annotations

import torch



def final_states(
    output: torch.Tensor, h_n: torch.Tensor, num_layers: int, bidirectional: bool
) -> tuple[torch.Tensor, torch.Tensor]:
    D = 2 if bidirectional else 1
    H = h_n.shape[-1]
    fwd = output[:, -1, :H]
    from_out = torch.cat([fwd, output[:, 0, H:]], dim=1) if bidirectional else fwd
    last = h_n.view(num_layers, D, h_n.shape[1], H)[-1]
    return from_out, torch.cat(list(last), dim=1)


def state_of(h_n, num_layers, bidirectional, layer, direction):
    D = 2 if bidirectional else 1
    if layer < 0:
        layer += num_layers
    return h_n[layer * D + direction]
