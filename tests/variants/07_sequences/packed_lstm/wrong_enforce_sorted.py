"""Known-wrong: packs with the default enforce_sorted=True, which rejects unsorted lengths."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence


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
        self.num_directions = 2 if bidirectional else 1
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=padding_idx)
        self.lstm = nn.LSTM(embed_dim, hidden_size, num_layers, batch_first=True, bidirectional=bidirectional)
        self.head = nn.Linear(self.num_directions * hidden_size, num_classes)

    def forward(self, tokens: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        embedded = self.embedding(tokens)
        # pack_padded_sequence wants the lengths on the CPU; enforce_sorted=False sorts and later unsorts for us
        packed = pack_padded_sequence(embedded, torch.as_tensor(lengths).cpu(), batch_first=True)
        _, (h_n, _) = self.lstm(packed)
        # with a packed input, h_n holds each sequence's state at its true end, in the caller's batch order
        layers = h_n.view(self.lstm.num_layers, self.num_directions, tokens.shape[0], self.lstm.hidden_size)
        return self.head(torch.cat(list(layers[-1]), dim=1))
