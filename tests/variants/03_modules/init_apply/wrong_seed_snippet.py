"""Known-wrong: the seed's own snippet (crashes on bias=None, fills biases with 0.01, default Kaiming)."""

from torch import nn


def init_weights(m: nn.Module) -> None:
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight)
        m.bias.data.fill_(0.01)
    elif isinstance(m, nn.Conv2d):
        nn.init.kaiming_uniform_(m.weight)
        m.bias.data.fill_(0.01)
