"""Known-wrong: stores logits.detach() ("to save memory"), so the returned logits are cut from the graph."""
from __future__ import annotations

import torch
from torch import nn



def decode(decoder, encoder_state, targets, teacher_forcing_ratio, generator=None):
    state, inp, out = encoder_state, targets[:, 0], []
    for t in range(1, targets.shape[1]):
        logits, state = decoder(inp, state)
        out.append(logits.detach())
        inp = targets[:, t] if torch.rand((), generator=generator) < teacher_forcing_ratio else logits.argmax(-1)
    return torch.stack(out, dim=1)
