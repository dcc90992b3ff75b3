"""nnref: documented NumPy reference implementations of convolutional-network building blocks.

Every public function lives in a topic module and is re-exported here, so
``nnref.relu`` and ``nnref.activations.relu`` are the same object.
"""

from . import activations, conv, linear, normalization, pooling, upsampling
from .activations import *  # noqa: F403
from .conv import *  # noqa: F403
from .linear import *  # noqa: F403
from .normalization import *  # noqa: F403
from .pooling import *  # noqa: F403
from .upsampling import *  # noqa: F403

__version__ = "0.1.0"

__all__ = [
    *activations.__all__,
    *linear.__all__,
    *conv.__all__,
    *pooling.__all__,
    *upsampling.__all__,
    *normalization.__all__,
]
