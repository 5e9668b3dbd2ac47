"""Array backends: where the sampling and training hot paths compute.

Every object with a ``backend=`` keyword (:class:`~qbm.samplers.GibbsSampler`,
:class:`~qbm.phases.CD`, :class:`~qbm.phases.PCD`, :class:`~qbm.phases.ParallelTempering`,
:func:`~qbm.metrics.ais_log_partition`, the exact RBM layer sums) resolves it here.
``"numpy"`` (the default) is the package's own CPU code, unchanged; any other backend runs the
same algorithms through the `array API standard <https://data-apis.org/array-api/>`_
(``array-api-compat``), so PyTorch tensors and CuPy arrays work alike:

========================  ==========================================================
``"numpy"``               the CPU code paths (float64 parameters, tuned kernels)
``"torch"``               PyTorch on CUDA when a GPU is present, else on the CPU
``"torch:cuda"``, …       PyTorch on that device (``"torch:cuda:1"``, ``"torch:cpu"``)
``"cupy"``                CuPy on the current GPU
``"array_api_strict"``    the standard's reference library: a CPU check of portability
========================  ==========================================================

On a device the arrays are float32 (with PyTorch, ``precision="tf32"`` or ``"bfloat16"`` make
the matrix products cheaper; ``benchmarks/bench_gpu.py`` measures what that does to the statistics).
Random numbers are drawn on the device by the library's own generator, seeded from the
caller's ``numpy.random.Generator``: the same seed gives the same result on the same device
and library version, and the same distribution everywhere (not the same numbers as NumPy).

>>> backend = get_backend("numpy")
>>> backend.is_numpy, backend
(True, Backend('numpy'))
>>> strict = get_backend("array_api_strict")
>>> strict.to_numpy(strict.asarray([[1.0, 2.0]])).tolist()
[[1.0, 2.0]]
"""
from __future__ import annotations

import contextlib
import importlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._numerics import bernoulli as _numpy_bernoulli
from ._numerics import sigmoid as _numpy_sigmoid
from ._numerics import softplus as _numpy_softplus

__all__ = ["Backend", "BACKEND_NAMES", "PRECISIONS", "get_backend", "namespace", "to_host", "like", "total", "take", "reshape", "sigmoid",
           "softplus", "bernoulli", "DeviceRandom"]

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
        elif self.device is not None and self.name == "numpy":
            raise ValueError(f"the numpy backend runs on the CPU only, got device {self.device!r}")

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

    def random(self, rng: np.random.Generator) -> "DeviceRandom":
        """A device random stream seeded by one draw from the host stream ``rng``.

        Parameters
        ----------
        rng : numpy.random.Generator
            The caller's stream (so one seed fixes host and device draws alike).

        Returns
        -------
        DeviceRandom

        Examples
        --------
        >>> get_backend("array_api_strict").random(np.random.default_rng(0)).random((2, 3)).shape
        (2, 3)
        """
        return DeviceRandom(self, int(rng.integers(2 ** 63)))

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

    def bernoulli(self, probabilities):
        """0/1 draws (in ``probabilities``' dtype), one per entry.

        Parameters
        ----------
        probabilities : array
            Probabilities of a 1, on this backend.

        Returns
        -------
        array

        Examples
        --------
        >>> strict = get_backend("array_api_strict")
        >>> to_host(strict.random(np.random.default_rng(0)).bernoulli(strict.asarray([0.0, 1.0]))).tolist()
        [0.0, 1.0]
        """
        xp = namespace(probabilities)
        return xp.astype(self.random(tuple(probabilities.shape)) < probabilities, probabilities.dtype)

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


def namespace(array):
    """The array-API namespace of ``array``: ``numpy`` itself for an ndarray (the CPU paths stay NumPy's own).

    Parameters
    ----------
    array : array
        A NumPy, PyTorch, CuPy or array-api-strict array.

    Returns
    -------
    module

    Examples
    --------
    >>> namespace(np.zeros(2)) is np
    True
    """
    if isinstance(array, np.ndarray):
        return np
    from array_api_compat import array_namespace
    return array_namespace(array)


def to_host(array, dtype=np.float64) -> np.ndarray:
    """A host ``numpy`` array of any backend's ``array`` (no copy when it is one already, of this dtype).

    Parameters
    ----------
    array : array
        A NumPy, PyTorch, CuPy or array-api-strict array.
    dtype : dtype
        The host array's dtype.

    Returns
    -------
    ndarray

    Examples
    --------
    >>> to_host(get_backend("array_api_strict").asarray([0.5])).tolist()
    [0.5]
    """
    if isinstance(array, np.ndarray):
        return array.astype(dtype, copy=False)
    if _is_torch(array):
        return array.detach().to("cpu").numpy().astype(dtype, copy=False)
    if type(array).__module__.startswith("cupy"):
        return array.get().astype(dtype, copy=False)
    return np.from_dlpack(array).astype(dtype, copy=False)   # array_api_strict: through DLPack


def like(values, reference):
    """``values`` (host numbers or an array) as an array of ``reference``'s library, device and dtype.

    Parameters
    ----------
    values : array-like
        Host numbers, or an array of any backend.
    reference : array
        The array whose library, device and dtype the result takes.

    Returns
    -------
    array

    Examples
    --------
    >>> like([1, 2], np.zeros(1, dtype=np.float32)).dtype
    dtype('float32')
    """
    if isinstance(reference, np.ndarray):
        return np.asarray(to_host(values) if not isinstance(values, (list, tuple)) else values, dtype=reference.dtype)
    from array_api_compat import device
    xp = namespace(reference)
    host = values if isinstance(values, (list, tuple)) else to_host(values)
    return xp.asarray(host, dtype=reference.dtype, device=device(reference))


def total(x, axis: int):
    """The sum of ``x`` along ``axis`` on any backend (NumPy's ``add.reduce``: its cheapest call, the same sum).

    Parameters
    ----------
    x : array
        Any backend's array.
    axis : int
        The axis summed over.

    Returns
    -------
    array

    Examples
    --------
    >>> total(np.ones((2, 3)), axis=0).tolist()
    [2.0, 2.0, 2.0]
    """
    if isinstance(x, np.ndarray):
        return np.add.reduce(x, axis=axis)
    return namespace(x).sum(x, axis=axis)


def take(x, indices, axis: int):
    """``x``'s entries at ``indices`` along ``axis`` on any backend (an ndarray's own method: NumPy's cheapest call).

    Parameters
    ----------
    x : array
        Any backend's array.
    indices : array of int
        Positions along ``axis``, on the same backend.
    axis : int
        The axis indexed.

    Returns
    -------
    array

    Examples
    --------
    >>> take(np.arange(6).reshape(3, 2), np.array([2, 0]), axis=0).tolist()
    [[4, 5], [0, 1]]
    """
    if isinstance(x, np.ndarray):
        return x.take(indices, axis=axis)
    return namespace(x).take(x, indices, axis=axis)


def reshape(x, shape: tuple[int, ...]):
    """``x`` in a new shape on any backend (an ndarray's own method: NumPy's cheapest call).

    Parameters
    ----------
    x : array
        Any backend's array.
    shape : tuple of int
        The new shape (one entry may be -1).

    Returns
    -------
    array

    Examples
    --------
    >>> reshape(np.arange(4), (2, 2)).tolist()
    [[0, 1], [2, 3]]
    """
    if isinstance(x, np.ndarray):
        return x.reshape(shape)
    return namespace(x).reshape(x, shape)


def sigmoid(x):
    """``1 / (1 + exp(-x))`` on any backend: the package's NumPy logistic for NumPy, the library's own otherwise.

    Parameters
    ----------
    x : array
        Any backend's array.

    Returns
    -------
    array

    Examples
    --------
    >>> sigmoid(np.array([0.0])).tolist()
    [0.5]
    """
    if isinstance(x, np.ndarray):
        return _numpy_sigmoid(x)
    if _is_torch(x):
        return x.sigmoid()
    xp = namespace(x)
    return 1.0 / (1.0 + xp.exp(-x))


def softplus(x):
    """``log(1 + exp(x))`` without overflow on any backend.

    Parameters
    ----------
    x : array
        Any backend's array.

    Returns
    -------
    array

    Examples
    --------
    >>> softplus(np.array([0.0])).round(4).tolist()
    [0.6931]
    """
    if isinstance(x, np.ndarray):
        return _numpy_softplus(x)
    if _is_torch(x):
        import torch
        return torch.nn.functional.softplus(x)
    xp = namespace(x)
    return xp.log1p(xp.exp(-xp.abs(x))) + xp.maximum(x, xp.zeros_like(x))


def bernoulli(probabilities, rng):
    """0/1 draws from a ``numpy.random.Generator`` (NumPy arrays) or a :class:`DeviceRandom` (any backend).

    Parameters
    ----------
    probabilities : array
        Probabilities of a 1.
    rng : numpy.random.Generator or DeviceRandom
        The random stream.

    Returns
    -------
    array

    Examples
    --------
    >>> bernoulli(np.array([0.0, 1.0]), np.random.default_rng(0)).tolist()
    [0.0, 1.0]
    """
    if isinstance(rng, DeviceRandom):
        return rng.bernoulli(probabilities)
    return _numpy_bernoulli(probabilities, rng)


def _is_torch(x) -> bool:
    return type(x).__module__.startswith("torch")
