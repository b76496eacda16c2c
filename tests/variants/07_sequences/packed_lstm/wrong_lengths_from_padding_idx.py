"""Known-wrong: ignores lengths and recomputes them as (tokens != padding_idx).sum(1), so random padding is read."""
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
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=padding_idx)
        self.lstm = nn.LSTM(embed_dim, hidden_size, num_layers, batch_first=True, bidirectional=bidirectional)
        self.head = nn.Linear((2 if bidirectional else 1) * hidden_size, num_classes)

    def forward(self, tokens, lengths):
        true_lengths = (tokens != self.embedding.padding_idx).sum(dim=1)
        packed = pack_padded_sequence(self.embedding(tokens), true_lengths.cpu(), batch_first=True,
                                      enforce_sorted=False)
        _, (h_n, _) = self.lstm(packed)
        L, D, H = self.lstm.num_layers, 2 if self.lstm.bidirectional else 1, self.lstm.hidden_size
        last = h_n.view(L, D, h_n.shape[1], H)[-1]
        return self.head(torch.cat(list(last), dim=1))
