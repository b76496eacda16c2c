"""Initialise a mixed model with ``model.apply``: Xavier for Linear, Kaiming for Conv, identity for BatchNorm.

Scenario (002 Q10). A research model mixes linear, convolutional, normalisation, embedding and recurrent layers,
and the team wants Xavier initialisation for the linear layers and Kaiming for the convolutions. The snippet
they copied,

    def init_weights(m):
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            m.bias.data.fill_(0.01)
        elif isinstance(m, nn.Conv2d):
            nn.init.kaiming_uniform_(m.weight)
            m.bias.data.fill_(0.01)

crashes with ``AttributeError: 'NoneType' object has no attribute 'data'`` on the first convolution created
with ``bias=False`` (the usual choice before a BatchNorm), and its Kaiming call is not the one they want.

Task: write ``init_weights(module)`` for ``model.apply(init_weights)``, which calls it once for every submodule
(so it only handles the module it is given: called directly on a container, it leaves the container's children
alone). Initialise in place, keeping the same parameter objects; types are matched with ``isinstance``, so a
subclass of a listed layer counts as that layer:
- ``nn.Linear``: weight ``xavier_uniform_``, bias zero;
- ``nn.Conv1d``/``nn.Conv2d``/``nn.Conv3d``: weight ``kaiming_normal_`` with ``mode="fan_out"`` and
  ``nonlinearity="relu"`` (what torchvision's ResNet does), bias zero;
- ``nn.BatchNorm1d``/``2d``/``3d``: weight 1 and bias 0 (a BatchNorm built with ``affine=False`` has neither);
  its buffers (``running_mean``, ``running_var``, ``num_batches_tracked``) are left as they are;
- a layer without a bias (``bias=False``) is fine: there is simply no bias to zero;
- every other module (Embedding, LSTM, LayerNorm, and look-alikes that are none of the listed classes, such as
  ``nn.ConvTranspose2d`` and ``nn.InstanceNorm2d``) is left exactly as it was.
"""

from __future__ import annotations

from torch import nn

_CONVS = (nn.Conv1d, nn.Conv2d, nn.Conv3d)
_BATCHNORMS = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)


def init_weights(module: nn.Module) -> None:
    """Initialise ``module``'s own parameters by its type; meant for ``model.apply(init_weights)``."""
    if isinstance(module, nn.Linear):
        nn.init.xavier_uniform_(module.weight)
        if module.bias is not None:  # bias=False registers bias as None
            nn.init.zeros_(module.bias)
    elif isinstance(module, _CONVS):
        # fan_out keeps the variance of the gradients, not the activations, steady through the ReLUs
        nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, _BATCHNORMS) and module.affine:
        # start every BatchNorm as the identity on its normalised input
        nn.init.ones_(module.weight)
        nn.init.zeros_(module.bias)
