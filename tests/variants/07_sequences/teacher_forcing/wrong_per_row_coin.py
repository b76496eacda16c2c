"""Known-wrong: draws one coin per row, mixing ground truth and predictions within a step."""

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
    """Logits ``(batch, T - 1, vocab)`` for ``targets[:, 1:]``, mixing ground truth and predictions as inputs."""
    inputs, state = targets[:, 0], encoder_state
    step_logits = []
    for t in range(1, targets.shape[1]):
        logits, state = decoder(inputs, state)
        step_logits.append(logits)
        # one draw per step for the whole batch; rand() is in [0, 1), so ratio 1 always and ratio 0 never forces
        teacher = torch.rand(targets.shape[0], generator=generator) < teacher_forcing_ratio
        inputs = torch.where(teacher, targets[:, t], logits.argmax(dim=-1))
    return torch.stack(step_logits, dim=1)
