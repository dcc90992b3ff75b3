"""nnref: documented NumPy reference implementations of convolutional-network building blocks.

Every public function lives in a topic module and is re-exported here, so
``nnref.relu`` and ``nnref.activations.relu`` are the same object. One name is
both: ``nnref.linear`` is the function (as ``torch.nn.functional.linear``); its
module is still importable as ``from nnref.linear import flatten``.
"""

from importlib.metadata import PackageNotFoundError as _PackageNotFoundError
from importlib.metadata import version as _version

from . import activations, conv, normalization, pooling, testing, upsampling
from . import linear as _linear_module
from .activations import *  # noqa: F403
from .conv import *  # noqa: F403
from .linear import *  # noqa: F403
from .normalization import *  # noqa: F403
from .pooling import *  # noqa: F403
from .testing import *  # noqa: F403
from .upsampling import *  # noqa: F403

# pyproject.toml's version, read from the installed package's metadata.
try:
    __version__ = _version("nnref")
except _PackageNotFoundError:  # a source tree imported without being installed
    __version__ = "0+unknown"

__all__ = [
    *activations.__all__,
    *_linear_module.__all__,
    *conv.__all__,
    *pooling.__all__,
    *upsampling.__all__,
    *normalization.__all__,
    *testing.__all__,
]
