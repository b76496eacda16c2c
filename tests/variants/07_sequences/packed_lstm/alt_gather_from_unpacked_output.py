"""Known-correct alternative: packs, unpacks with pad_packed_sequence, gathers forward at length - 1 and backward at step 0."""
from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from torch.nn.utils.rnn import pad_packed_sequence

class LSTMClassifier(nn.Module):
    def __init__(
        self,
        vocab_size: int,
        embed_dim: int,
        hidden_size: int,
        num_classes: int,
        num_layers: int = 1,
        bidirectional: bool = False,
        padding_idx: int = 0,
    ) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=padding_idx)
        self.lstm = nn.LSTM(embed_dim, hidden_size, num_layers, batch_first=True, bidirectional=bidirectional)
        self.head = nn.Linear((2 if bidirectional else 1) * hidden_size, num_classes)

    def forward(self, tokens: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        lengths_cpu = lengths.detach().to("cpu", torch.int64)
        packed = pack_padded_sequence(self.embedding(tokens), lengths_cpu, batch_first=True, enforce_sorted=False)
        out, _ = self.lstm(packed)
        out, _ = pad_packed_sequence(out, batch_first=True)  # (B, max(lengths), D*H), zeros past each end
        H = self.lstm.hidden_size
        idx = (lengths_cpu - 1).to(out.device).view(-1, 1, 1).expand(-1, 1, H)
        forward_end = out[..., :H].gather(1, idx).squeeze(1)
        parts = [forward_end]
        if self.lstm.bidirectional:
            parts.append(out[:, 0, H:])
        return self.head(torch.cat(parts, dim=1))
