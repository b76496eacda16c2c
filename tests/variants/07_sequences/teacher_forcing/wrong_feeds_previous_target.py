"""Known-wrong: teacher forcing feeds targets[:, t - 1] (the token just fed) instead of targets[:, t]."""
from __future__ import annotations

import torch
from torch import nn



def decode(decoder, encoder_state, targets, teacher_forcing_ratio, generator=None):
    state, inp, out = encoder_state, targets[:, 0], []
    for t in range(1, targets.shape[1]):
        logits, state = decoder(inp, state)
        out.append(logits)
        inp = targets[:, t - 1] if torch.rand((), generator=generator) < teacher_forcing_ratio else logits.argmax(-1)
    return torch.stack(out, dim=1)
