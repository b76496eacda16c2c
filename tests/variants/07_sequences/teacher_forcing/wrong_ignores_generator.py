"""Known-wrong: draws the coin from Python's random module, ignoring generator."""
from __future__ import annotations

import torch
from torch import nn

import random


def decode(decoder, encoder_state, targets, teacher_forcing_ratio, generator=None):
    state, inp, out = encoder_state, targets[:, 0], []
    for t in range(1, targets.shape[1]):
        logits, state = decoder(inp, state)
        out.append(logits)
        inp = targets[:, t] if random.random() < teacher_forcing_ratio else logits.argmax(dim=-1)
    return torch.stack(out, dim=1)
