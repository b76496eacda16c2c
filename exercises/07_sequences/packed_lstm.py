"""Variable-length batches: pack them so an LSTM never reads the padding.

Scenario (000 Q10, 003 Q63). A review classifier pads every batch to its longest review. In production the same
review gets a different score depending on which other reviews share its batch: the longer the longest one, the
more padding the short review is followed by, and the model reads it all, then classifies from the hidden state at
the last *padded* step. ``nn.utils.rnn.pack_padded_sequence`` tells the LSTM where each sequence really ends.

Task: ``LSTMClassifier(vocab_size, embed_dim, hidden_size, num_classes, num_layers=1, bidirectional=False,
padding_idx=0)`` with these attributes (the tests read them):
- ``self.embedding``: ``nn.Embedding(vocab_size, embed_dim, padding_idx=padding_idx)``;
- ``self.lstm``: ``nn.LSTM(embed_dim, hidden_size, num_layers, batch_first=True, bidirectional=bidirectional)``;
- ``self.head``: ``nn.Linear(num_directions * hidden_size, num_classes)``.
``forward(tokens, lengths)`` takes ``tokens`` ``(batch, max_len)`` int64, where positions past a sequence's length
hold padding of any value (do not rely on it being ``padding_idx``), and ``lengths`` a ``(batch,)`` int64 tensor
of lengths from 1 to ``max_len`` (``max_len`` may exceed the longest), in any order, on the CPU or on the model's
device. It returns logits ``(batch, num_classes)``: the head applied to the last
layer's final hidden state of every direction (forward then backward), where "final" means at the sequence's true
end: a sequence's logits must not depend on the padding around it or on its batch. Use ``pack_padded_sequence``
with ``enforce_sorted=False``.
"""

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
        # TODO: self.embedding, self.lstm (batch_first=True), self.head, as the docstring lists them
        raise NotImplementedError("07_sequences/packed_lstm: create self.embedding, self.lstm and self.head")

    def forward(self, tokens: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        # TODO: embed, pack (enforce_sorted=False), run the LSTM, classify from the final hidden state(s)
        raise NotImplementedError("07_sequences/packed_lstm: classify from each sequence's state at its true end")
