"""Known-wrong: draws the coin before each call (the first coin is wasted on the start token), shifting every decision by one."""
from __future__ import annotations

import torch
from torch import nn



def decode(decoder, encoder_state, targets, teacher_forcing_ratio, generator=None):
    state, pred, out = encoder_state, None, []
    for t in range(1, targets.shape[1]):
        force = torch.rand((), generator=generator).item() < teacher_forcing_ratio
        inp = targets[:, t - 1] if (t == 1 or force) else pred
        logits, state = decoder(inp, state)
        out.append(logits)
        pred = logits.argmax(dim=-1)
    return torch.stack(out, dim=1)
