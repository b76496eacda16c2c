"""Known-wrong: the mask is True at the real tokens, the opposite of key_padding_mask's convention."""

import torch
from torch.nn.utils.rnn import pad_sequence


def pad_collate(batch, padding_value=0):
    sequences = [s for s, _ in batch]
    lengths = torch.tensor([len(s) for s in sequences])
    labels = torch.tensor([label for _, label in batch])
    return pad_sequence(sequences, batch_first=True, padding_value=padding_value), lengths, labels


def padding_mask(lengths, max_len=None):
    max_len = int(lengths.max()) if max_len is None else max_len
    return torch.arange(max_len)[None, :] < lengths[:, None]
