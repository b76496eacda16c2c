"""Known-wrong: dispatches on type(module) is ..., so subclasses of Linear / Conv / BatchNorm are skipped."""

from __future__ import annotations

from torch import nn

_CONVS = (nn.Conv1d, nn.Conv2d, nn.Conv3d)
_BATCHNORMS = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)


def init_weights(module: nn.Module) -> None:
    """Initialise ``module``'s own parameters by its type; meant for ``model.apply(init_weights)``."""
    if type(module) is nn.Linear:
        nn.init.xavier_uniform_(module.weight)
        if module.bias is not None:  # bias=False registers bias as None
            nn.init.zeros_(module.bias)
    elif type(module) in _CONVS:
        # fan_out keeps the variance of the gradients, not the activations, steady through the ReLUs
        nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif type(module) in _BATCHNORMS and module.affine:
        # start every BatchNorm as the identity on its normalised input
        nn.init.ones_(module.weight)
        nn.init.zeros_(module.bias)
