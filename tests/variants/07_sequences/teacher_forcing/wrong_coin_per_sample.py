"""Known-wrong: draws one coin per sample (torch.rand(batch)) and mixes inputs within the batch, not one per step for the batch."""
from __future__ import annotations

import torch
from torch import nn



def decode(decoder, encoder_state, targets, teacher_forcing_ratio, generator=None):
    state, inp, out = encoder_state, targets[:, 0], []
    for t in range(1, targets.shape[1]):
        logits, state = decoder(inp, state)
        out.append(logits)
        coins = torch.rand(targets.shape[0], generator=generator) < teacher_forcing_ratio
        inp = torch.where(coins, targets[:, t], logits.argmax(dim=-1))
    return torch.stack(out, dim=1)
