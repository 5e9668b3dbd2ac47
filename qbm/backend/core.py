"""The :class:`Backend` object and :func:`get_backend`, which resolves every ``backend=`` keyword.

>>> get_backend("numpy")
Backend('numpy')
"""
from __future__ import annotations

import contextlib
import importlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .arrays import to_host
from .random import DeviceRandom

__all__ = ["Backend", "BACKEND_NAMES", "PRECISIONS", "get_backend"]


BACKEND_NAMES = ("numpy", "torch", "cupy", "array_api_strict")
"""The libraries a backend can name (a device may follow the library's name after a colon)."""


PRECISIONS = ("float32", "tf32", "bfloat16")
"""Matrix-product precisions on a device: float32 throughout, TF32 tensor cores, or bfloat16 operands."""


_INSTALL_HINT = {"torch": "pip install 'qbm[torch]'", "cupy": "pip install 'qbm[cupy]'",
                 "array_api_strict": "pip install array-api-strict"}


@dataclass(frozen=True)
class Backend:
    """One array library on one device, and the precision of its matrix products.

    Build one with :func:`get_backend`; every ``backend=`` keyword takes either.

    Parameters
    ----------
    name : str
        One of :data:`BACKEND_NAMES`.
    device : str, optional
        The library's device (``"cuda"``, ``"cuda:1"``, ``"cpu"``); the library's default if None.
    precision : str
        One of :data:`PRECISIONS` (``"tf32"`` and ``"bfloat16"`` on PyTorch only).
    xp : module, optional
        The library's array-API namespace (looked up from ``name`` when not given).

    Examples
    --------
    >>> Backend("array_api_strict").float_dtype
    array_api_strict.float32
    """

    name: str
    device: str | None = None
    precision: str = "float32"
    xp: Any = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.name not in BACKEND_NAMES:
            raise ValueError(f"backend must name one of {', '.join(BACKEND_NAMES)}, got {self.name!r}")
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {self.precision!r}")
        if self.precision != "float32" and self.name != "torch":
            raise ValueError(f"precision={self.precision!r} is a PyTorch setting; {self.name} computes in float32")
        if self.xp is None:
            object.__setattr__(self, "xp", _namespace_of(self.name))
        if self.name == "torch":
            object.__setattr__(self, "device", _torch_device(self.device))
        elif self.device is not None and self.name in ("numpy", "array_api_strict"):   # no device to choose
            raise ValueError(f"the {self.name} backend runs on the CPU only, got device {self.device!r}")

    @property
    def is_numpy(self) -> bool:
        """Whether this is the default CPU backend (the package's own NumPy code paths).

        Examples
        --------
        >>> get_backend("array_api_strict").is_numpy
        False
        """
        return self.name == "numpy"

    @property
    def float_dtype(self):
        """The dtype of arrays on this backend: float64 on NumPy, float32 elsewhere.

        Examples
        --------
        >>> get_backend("numpy").float_dtype
        <class 'numpy.float64'>
        """
        return np.float64 if self.is_numpy else self.xp.float32

    def asarray(self, values, dtype=None):
        """``values`` as an array of this backend on its device (``float_dtype`` unless ``dtype`` is given).

        Parameters
        ----------
        values : array-like
            Host numbers, or an array of this backend already.
        dtype : dtype, optional
            The array's dtype.

        Returns
        -------
        array

        Examples
        --------
        >>> get_backend("numpy").asarray([1, 0]).dtype
        dtype('float64')
        """
        dtype = self.float_dtype if dtype is None else dtype
        if self.is_numpy:
            return np.asarray(values, dtype=dtype)
        if self.name in ("cupy", "torch"):
            return self.xp.asarray(values, dtype=dtype, device=self.device)
        return self.xp.asarray(np.asarray(values), dtype=dtype)

    def to_numpy(self, array, dtype=np.float64) -> np.ndarray:
        """A host ``numpy`` copy of ``array`` (one device-to-host transfer).

        Parameters
        ----------
        array : array
            An array of this backend.
        dtype : dtype
            The copy's dtype.

        Returns
        -------
        ndarray

        Examples
        --------
        >>> get_backend("numpy").to_numpy(np.ones(2, dtype=np.float32)).dtype
        dtype('float64')
        """
        return to_host(array, dtype)

    def random(self, random_state: np.random.Generator) -> "DeviceRandom":
        """A device random stream seeded by one draw from the host stream ``random_state``.

        Parameters
        ----------
        random_state : numpy.random.Generator
            The caller's stream (so one seed fixes host and device draws alike).

        Returns
        -------
        DeviceRandom

        Examples
        --------
        >>> get_backend("array_api_strict").random(np.random.default_rng(0)).random((2, 3)).shape
        (2, 3)
        """
        return DeviceRandom(self, int(random_state.integers(2 ** 63)))

    def matmul(self, a, b):
        """``a @ b`` in this backend's product precision, the answer in float32.

        Parameters
        ----------
        a, b : array
            Float32 operands of this backend.

        Returns
        -------
        array

        Examples
        --------
        >>> get_backend("numpy").matmul(np.eye(2), np.ones((2, 1))).ravel().tolist()
        [1.0, 1.0]
        """
        if self.precision == "float32":
            return a @ b
        if self.precision == "bfloat16":
            import torch
            return (a.to(torch.bfloat16) @ b.to(torch.bfloat16)).to(torch.float32)
        with _tf32():
            return a @ b

    def synchronize(self) -> None:
        """Wait for the device's queued work (for timing; a no-op on the CPU).

        Examples
        --------
        >>> get_backend("numpy").synchronize()
        """
        if self.name == "torch" and str(self.device).startswith("cuda"):
            import torch
            torch.cuda.synchronize(self.device)
        elif self.name == "cupy":
            self.xp.cuda.get_current_stream().synchronize()

    def __reduce__(self):
        """Pickled and copied by name (the library module itself is looked up again)."""
        return Backend, (self.name, self.device, self.precision)

    def __repr__(self) -> str:
        device = "" if self.device is None or self.is_numpy else f":{self.device}"
        precision = "" if self.precision == "float32" else f", precision={self.precision!r}"
        return f"Backend('{self.name}{device}'{precision})"


def get_backend(backend: "str | Backend | None" = None, precision: str | None = None) -> Backend:
    """The :class:`Backend` that ``backend`` names: a string such as ``"torch:cuda"``, a Backend, or None (NumPy).

    Parameters
    ----------
    backend : str, Backend or None
        ``"numpy"``, ``"torch"``, ``"torch:<device>"``, ``"cupy"`` or ``"array_api_strict"``.
    precision : str, optional
        Overrides the backend's product precision (:data:`PRECISIONS`).

    Returns
    -------
    Backend

    Raises
    ------
    ImportError
        When the library is not installed (the message says how to install it).

    Examples
    --------
    >>> get_backend()
    Backend('numpy')
    >>> get_backend("cuda")
    Traceback (most recent call last):
    ...
    ValueError: backend must name one of numpy, torch, cupy, array_api_strict (optionally with ':device', e.g. 'torch:cuda'), got 'cuda'
    """
    if isinstance(backend, Backend):
        return backend if precision is None else Backend(backend.name, backend.device, precision, backend.xp)
    if backend is None:
        backend = "numpy"
    if not isinstance(backend, str):
        raise TypeError(f"backend must be a string such as 'torch:cuda' or a qbm.backend.Backend, "
                        f"got {type(backend).__name__}")
    name, _, device = backend.partition(":")
    if name not in BACKEND_NAMES:
        raise ValueError(f"backend must name one of {', '.join(BACKEND_NAMES)} (optionally with ':device', "
                         f"e.g. 'torch:cuda'), got {backend!r}")
    return _cached_backend(name, device or None, precision or "float32")


_BACKENDS: dict[tuple, Backend] = {}


def _cached_backend(name: str, device: str | None, precision: str) -> Backend:
    key = (name, device, precision)
    if key not in _BACKENDS:
        _BACKENDS[key] = Backend(name, device, precision)
    return _BACKENDS[key]


def _namespace_of(name: str):
    if name == "numpy":
        return np
    try:
        library = importlib.import_module(name)
    except ImportError as exc:
        raise ImportError(f"backend {name!r} needs {name}, which is not installed ({_INSTALL_HINT[name]})") from exc
    if name == "array_api_strict":
        return library
    from array_api_compat import array_namespace
    return array_namespace(library.zeros(1))


def _torch_device(device: str | None) -> str:
    import torch
    if device is None:
        return "cuda" if torch.cuda.is_available() else "cpu"
    try:
        torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(f"backend names torch device {device!r}, which torch does not know") from exc
    return device


@contextlib.contextmanager
def _tf32():
    import torch
    previous = torch.backends.cuda.matmul.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = True
    try:
        yield
    finally:
        torch.backends.cuda.matmul.allow_tf32 = previous
