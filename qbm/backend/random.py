"""Random draws on a backend's device from one seeded generator, and the Bernoulli draw every backend shares.

>>> bernoulli(np.array([0.0, 1.0]), np.random.default_rng(0)).tolist()
[0.0, 1.0]
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .._numerics import bernoulli as _numpy_bernoulli
from .arrays import namespace

if TYPE_CHECKING:   # the backend hands itself to the stream it makes
    from .core import Backend

__all__ = ["DeviceRandom", "bernoulli"]


class DeviceRandom:
    """Uniform and Bernoulli draws on a backend's device from one seeded generator.

    Parameters
    ----------
    backend : Backend
        Where the draws live.
    seed : int
        Seeds the library's own generator (PyTorch's Philox, CuPy's, or NumPy's on the host).

    Examples
    --------
    >>> from qbm.backend import get_backend, to_host
    >>> draws = get_backend("array_api_strict").random(np.random.default_rng(0))
    >>> draws.integers01((2, 3)).shape
    (2, 3)
    """

    def __init__(self, backend: Backend, seed: int) -> None:
        self.backend = backend
        if backend.name == "torch":
            import torch
            self._generator = torch.Generator(device=backend.device).manual_seed(seed)
        elif backend.name == "cupy":
            self._generator = backend.xp.random.default_rng(seed)
        else:   # NumPy and array-api-strict: a host stream
            self._generator = np.random.default_rng(seed)

    def random(self, shape: tuple[int, ...]):
        """Uniform float32 draws in [0, 1) of this shape, on the device.

        Parameters
        ----------
        shape : tuple of int
            The draws' shape.

        Returns
        -------
        array

        Examples
        --------
        >>> from qbm.backend import get_backend, to_host
        >>> get_backend("array_api_strict").random(np.random.default_rng(0)).random((2,)).dtype
        array_api_strict.float32
        """
        backend = self.backend
        if backend.name == "torch":
            import torch
            return torch.rand(shape, generator=self._generator, device=backend.device, dtype=torch.float32)
        if backend.name == "cupy":
            return self._generator.random(shape, dtype=backend.xp.float32)
        return backend.asarray(self._generator.random(shape, dtype=np.float32))

    def bernoulli(self, probabilities, dtype=None):
        """0/1 draws (in ``dtype``, ``probabilities``' own by default), one per entry.

        Parameters
        ----------
        probabilities : array
            Probabilities of a 1, on this backend.
        dtype : dtype, optional
            The draws' dtype, as NumPy names it (``numpy.float32``) or as the backend does.

        Returns
        -------
        array

        Examples
        --------
        >>> from qbm.backend import get_backend, to_host
        >>> strict = get_backend("array_api_strict")
        >>> to_host(strict.random(np.random.default_rng(0)).bernoulli(strict.asarray([0.0, 1.0]))).tolist()
        [0.0, 1.0]
        """
        xp = namespace(probabilities)
        dtype = probabilities.dtype if dtype is None else getattr(xp, np.dtype(dtype).name, dtype)
        return xp.astype(self.random(tuple(probabilities.shape)) < probabilities, dtype)

    def integers01(self, shape: tuple[int, ...]):
        """Uniformly random 0/1 states (float32) of this shape.

        Parameters
        ----------
        shape : tuple of int
            The states' shape.

        Returns
        -------
        array

        Examples
        --------
        See the class.
        """
        return self.backend.xp.astype(self.random(shape) < 0.5, self.backend.xp.float32)


def bernoulli(probabilities, random_state, dtype=None):
    """0/1 draws from a ``numpy.random.Generator`` (NumPy arrays) or a :class:`DeviceRandom` (any backend).

    Parameters
    ----------
    probabilities : array
        Probabilities of a 1.
    random_state : numpy.random.Generator or DeviceRandom
        The random stream.
    dtype : dtype, optional
        The draws' dtype (on NumPy also the uniforms': float32 draws take float32 uniforms); float64 on NumPy
        and ``probabilities``' own on a device by default.

    Returns
    -------
    array

    Examples
    --------
    >>> bernoulli(np.array([0.0, 1.0]), np.random.default_rng(0)).tolist()
    [0.0, 1.0]
    """
    if isinstance(random_state, DeviceRandom):
        return random_state.bernoulli(probabilities, dtype)
    return _numpy_bernoulli(probabilities, random_state, np.float64 if dtype is None else dtype)
