"""Known-wrong: from_h_n = h_n[-D:].reshape(batch, -1), which interleaves the batch (right only for batch 1)."""
from __future__ import annotations

import torch



def final_states(output, h_n, num_layers, bidirectional):
    D = 2 if bidirectional else 1
    H = h_n.shape[-1]
    from_out = torch.cat([output[:, -1, :H], output[:, 0, H:]], dim=1) if bidirectional else output[:, -1, :H]
    return from_out, h_n[-D:].reshape(h_n.shape[1], -1)


def state_of(h_n: torch.Tensor, num_layers: int, bidirectional: bool, layer: int, direction: int) -> torch.Tensor:
    D = 2 if bidirectional else 1
    return h_n.view(num_layers, D, h_n.shape[1], h_n.shape[2])[layer, direction]
