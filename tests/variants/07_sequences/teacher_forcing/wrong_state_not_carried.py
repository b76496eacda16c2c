"""Known-wrong: passes encoder_state to every call instead of the state the decoder returned (right for stateless decoders)."""
from __future__ import annotations

import torch
from torch import nn



def decode(decoder, encoder_state, targets, teacher_forcing_ratio, generator=None):
    inp, out = targets[:, 0], []
    for t in range(1, targets.shape[1]):
        logits, _ = decoder(inp, encoder_state)
        out.append(logits)
        inp = targets[:, t] if torch.rand((), generator=generator) < teacher_forcing_ratio else logits.argmax(-1)
    return torch.stack(out, dim=1)
