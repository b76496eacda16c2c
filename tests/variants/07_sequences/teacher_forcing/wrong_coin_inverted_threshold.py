"""Known-wrong: forces when coin > 1 - ratio (same probability, ratio 0/1 still right) instead of coin < ratio."""
from __future__ import annotations

import torch
from torch import nn



def decode(decoder, encoder_state, targets, teacher_forcing_ratio, generator=None):
    state, inp, out = encoder_state, targets[:, 0], []
    for t in range(1, targets.shape[1]):
        logits, state = decoder(inp, state)
        out.append(logits)
        if torch.rand((), generator=generator).item() > 1 - teacher_forcing_ratio:
            inp = targets[:, t]
        else:
            inp = logits.argmax(dim=-1)
    return torch.stack(out, dim=1)
