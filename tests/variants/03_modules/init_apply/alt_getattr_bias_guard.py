"""Known-correct alternative: getattr-based bias guard in a helper, constant_ fills, BatchNorm affinity tested via weight is None."""
from __future__ import annotations

from torch import nn



def _zero_bias(module: nn.Module) -> None:
    bias = getattr(module, "bias", None)
    if bias is not None:
        nn.init.constant_(bias, 0.0)


def init_weights(module: nn.Module) -> None:
    if isinstance(module, nn.Linear):
        nn.init.xavier_uniform_(module.weight, gain=1.0)
        _zero_bias(module)
    elif isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
        nn.init.kaiming_normal_(module.weight, a=0, mode="fan_out", nonlinearity="relu")
        _zero_bias(module)
    elif isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)) and module.weight is not None:
        nn.init.constant_(module.weight, 1.0)
        _zero_bias(module)
