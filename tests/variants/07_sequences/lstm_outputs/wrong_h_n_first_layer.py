"""Known-wrong: takes layer 0 of h_n (view(...)[0]) instead of the last layer (right only for 1 layer)."""
from __future__ import annotations

import torch



def final_states(output, h_n, num_layers, bidirectional):
    D = 2 if bidirectional else 1
    H = h_n.shape[-1]
    from_out = torch.cat([output[:, -1, :H], output[:, 0, H:]], dim=1) if bidirectional else output[:, -1, :H]
    first = h_n.view(num_layers, D, h_n.shape[1], H)[0]
    return from_out, torch.cat(list(first), dim=1)


def state_of(h_n: torch.Tensor, num_layers: int, bidirectional: bool, layer: int, direction: int) -> torch.Tensor:
    D = 2 if bidirectional else 1
    return h_n.view(num_layers, D, h_n.shape[1], h_n.shape[2])[layer, direction]
