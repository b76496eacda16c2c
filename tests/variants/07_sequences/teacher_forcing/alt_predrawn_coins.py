"""Known-correct alternative: with a generator, draws the T - 1 coins up front in one torch.rand(T - 1) (same values as one per call)."""
from __future__ import annotations

import torch
from torch import nn



def decode(
    decoder: nn.Module,
    encoder_state: torch.Tensor,
    targets: torch.Tensor,
    teacher_forcing_ratio: float,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    steps = targets.shape[1] - 1
    # A private generator is only read here, so drawing its T - 1 numbers at once gives the same coins. The global
    # RNG (generator=None) is shared with the decoder (dropout...), so there the draws stay interleaved with the calls.
    coins = torch.rand(steps, generator=generator).tolist() if generator is not None else None
    state, token, logits_per_step = encoder_state, targets[:, 0], []
    for t in range(1, steps + 1):
        logits, state = decoder(token, state)
        logits_per_step.append(logits)
        coin = coins[t - 1] if coins is not None else torch.rand(()).item()
        token = targets[:, t] if coin < teacher_forcing_ratio else logits.argmax(dim=-1)
    return torch.stack(logits_per_step, dim=1)
