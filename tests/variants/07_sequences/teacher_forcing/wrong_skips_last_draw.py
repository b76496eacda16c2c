"""Known-wrong: skips the (unused) draw after the last call, so T - 2 numbers are drawn and the generator ends in another state."""
from __future__ import annotations

import torch
from torch import nn



def decode(decoder, encoder_state, targets, teacher_forcing_ratio, generator=None):
    T = targets.shape[1]
    state, inp, out = encoder_state, targets[:, 0], []
    for t in range(1, T):
        logits, state = decoder(inp, state)
        out.append(logits)
        if t == T - 1:
            break  # no next input needed
        inp = targets[:, t] if torch.rand((), generator=generator) < teacher_forcing_ratio else logits.argmax(-1)
    return torch.stack(out, dim=1)
