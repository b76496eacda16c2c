"""Known-wrong: sorts the sequences longest-first (for packing) but leaves the labels in batch order."""

import torch
from torch.nn.utils.rnn import pad_sequence


def pad_collate(batch, padding_value=0):
    labels = torch.tensor([label for _, label in batch])
    sequences = sorted((s for s, _ in batch), key=len, reverse=True)
    lengths = torch.tensor([len(s) for s in sequences])
    return pad_sequence(sequences, batch_first=True, padding_value=padding_value), lengths, labels


def padding_mask(lengths, max_len=None):
    max_len = int(lengths.max()) if max_len is None else max_len
    return torch.arange(max_len)[None, :] >= lengths[:, None]
