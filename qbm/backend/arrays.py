"""Array operations on any backend: NumPy's cheapest call for NumPy arrays, the array API otherwise.

>>> total(np.ones((2, 3)), axis=0).tolist()
[2.0, 2.0, 2.0]
"""
from __future__ import annotations

import numpy as np

from .._numerics import sigmoid as _numpy_sigmoid
from .._numerics import softplus as _numpy_softplus

__all__ = ["namespace", "to_host", "like", "total", "take", "reshape", "sigmoid", "softplus"]


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
    >>> from qbm.backend import get_backend
    >>> to_host(get_backend("array_api_strict").asarray([0.5])).tolist()
    [0.5]
    """
    if isinstance(array, (np.ndarray, np.generic)):
        return np.asarray(array).astype(dtype, copy=False)
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


def sigmoid(x, *, overwrite: bool = False):
    """``1 / (1 + exp(-x))`` on any backend: the package's NumPy logistic for NumPy, the library's own otherwise.

    Parameters
    ----------
    x : array
        Any backend's array.
    overwrite : bool
        ``x`` is a temporary the caller gives up: NumPy computes in its buffer (other backends make a new array).

    Returns
    -------
    array

    Examples
    --------
    >>> sigmoid(np.array([0.0])).tolist()
    [0.5]
    """
    if isinstance(x, np.ndarray):
        return _numpy_sigmoid(x, overwrite=overwrite)
    if _is_torch(x):
        return x.sigmoid()
    xp = namespace(x)
    small = xp.exp(-xp.abs(x))   # never overflows: the logistic of |x| and its complement from one exp
    return xp.where(x >= 0, 1.0 / (1.0 + small), small / (1.0 + small))


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


def _is_torch(x) -> bool:
    return type(x).__module__.startswith("torch")
