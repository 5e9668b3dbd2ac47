"""Argument checks at the public boundary: bad input fails early with a message naming the argument
and what was expected.

>>> check_count(3, "num_reads")
3
"""
from __future__ import annotations

from collections.abc import Mapping
from numbers import Integral

import numpy as np

__all__ = ["check_array", "check_binary", "check_rows", "check_spins", "check_unit_interval", "check_count", "check_non_negative",
           "check_bool", "check_unit_fraction", "check_beta", "counted", "describe_non_binary", "parse_clamp"]


def check_array(
    value,
    name: str,
    *,
    ndim: int | tuple[int, ...] | None = None,
    shape: tuple[int | None, ...] | None = None,
    dtype=np.float64,
    finite: bool = True,
) -> np.ndarray:
    """Convert ``value`` to an array of ``dtype`` and check its shape and finiteness.

    ``shape`` entries of ``None`` match any length.

    Examples
    --------
    >>> check_array([[1, 2]], "x", shape=(None, 2)).shape
    (1, 2)
    """
    try:
        raw = np.asarray(value)
    except ValueError:   # numpy's "inhomogeneous shape": nested sequences of different lengths
        raise ValueError(f"{name} must be a rectangular array of numbers; its rows have different lengths") from None
    if raw.dtype.kind == "c":
        raise TypeError(f"{name} must hold real numbers, got complex values")
    if raw.dtype.kind in "USVMm":
        raise TypeError(f"{name} must hold numbers, got an array of {raw.dtype} values")
    try:
        array = raw.astype(dtype, copy=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be array-like of numbers, got {type(value).__name__}") from exc
    if shape is not None:
        ndim = len(shape)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if array.ndim not in allowed:
            raise ValueError(f"{name} must be {_dims(allowed)}, got shape {array.shape}")
    if shape is not None:
        for axis, (got, want) in enumerate(zip(array.shape, shape)):
            if want is not None and got != want:
                raise ValueError(
                    f"{name} must have shape {_shape_text(shape)}, got {array.shape} "
                    f"(axis {axis} has length {got}, expected {want})"
                )
    if finite and array.dtype.kind == "f" and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite values (no NaN or inf)")
    return array


def check_binary(value, name: str, *, ndim: int | tuple[int, ...] | None = None,
                 width: int | None = None) -> np.ndarray:
    """Check that ``value`` holds only 0 and 1 and return it as ``float64``.

    Examples
    --------
    >>> check_binary([[0, 1]], "states", width=2)
    array([[0., 1.]])
    """
    array = check_array(value, name, ndim=ndim)
    _check_width(array, name, width)
    if not np.all((array == 0) | (array == 1)):
        raise ValueError(f"{name} must contain only 0 and 1; {describe_non_binary(array)}")
    return array


def check_rows(value, name: str, width: int, *, probabilities: bool = False) -> np.ndarray:
    """At least one row of ``width`` 0/1 values (or, with ``probabilities``, values in [0, 1]), as ``float64``.

    Examples
    --------
    >>> check_rows([[0, 1]], "data", 2).shape
    (1, 2)
    >>> check_rows(np.zeros((0, 2)), "data", 2)
    Traceback (most recent call last):
    ...
    ValueError: data must contain at least one row
    """
    check = check_unit_interval if probabilities else check_binary
    rows = check(value, name, ndim=2, width=width)
    if len(rows) == 0:
        raise ValueError(f"{name} must contain at least one row")
    return rows


def counted(count: int, noun: str) -> str:
    """``count`` and ``noun``, plural unless the count is one.

    >>> counted(1, "epoch"), counted(3, "coupling")
    ('1 epoch', '3 couplings')
    """
    return f"{count} {noun}{'' if count == 1 else 's'}"


def describe_non_binary(array: np.ndarray) -> str:
    """What a non-0/1 array holds instead, and how to make bits of it.

    Examples
    --------
    >>> describe_non_binary(np.array([-1.0, 1.0]))
    'found -1 and 1, spins: bits are (s + 1) / 2 (qbm.spins_to_bits)'
    >>> describe_non_binary(np.array([0.0, 3.0, 255.0]))
    'found values from 0 to 255 (3 distinct), grey levels: binarise them, e.g. X > 127.5'
    """
    finite = array[np.isfinite(array)]
    if len(finite) and set(np.unique(finite).tolist()) <= {-1.0, 1.0}:
        return "found -1 and 1, spins: bits are (s + 1) / 2 (qbm.spins_to_bits)"
    low, high = (float(finite.min()), float(finite.max())) if len(finite) else (np.nan, np.nan)
    found = f"found values from {low:g} to {high:g} ({len(np.unique(finite))} distinct)"
    if len(finite) and low >= 0:
        return f"{found}, grey levels: binarise them, e.g. X > {high / 2:g}"
    return found


def check_spins(value, name: str, *, ndim: int | tuple[int, ...] | None = None,
                width: int | None = None) -> np.ndarray:
    """Check that ``value`` holds only -1 and +1 and return it as ``float64``.

    Examples
    --------
    >>> check_spins([-1, 1], "spins")
    array([-1.,  1.])
    """
    array = check_array(value, name, ndim=ndim)
    _check_width(array, name, width)
    if not np.all(np.abs(array) == 1):
        bad = array[np.abs(array) != 1].ravel()[0]
        raise ValueError(f"{name} must contain only -1 and +1, found {bad!r}")
    return array


def check_unit_interval(value, name: str, *, ndim: int | tuple[int, ...] | None = None,
                        width: int | None = None) -> np.ndarray:
    """Check that ``value`` holds probabilities in ``[0, 1]`` (binary data included).

    Examples
    --------
    >>> check_unit_interval([0.25, 1], "v")
    array([0.25, 1.  ])
    """
    array = check_array(value, name, ndim=ndim, finite=False)
    _check_width(array, name, width)
    if array.size and not (array.min() >= 0 and array.max() <= 1):   # two reductions, no temporaries; NaN fails
        if not np.isfinite(array).all():
            raise ValueError(f"{name} must contain only finite values (no NaN or inf)")
        bad = array[(array < 0) | (array > 1)].ravel()[0]
        raise ValueError(f"{name} must contain values in [0, 1], found {bad!r}")
    return array


def check_count(value, name: str, *, minimum: int = 1) -> int:
    """Check that ``value`` is an integer at least ``minimum`` and return it.

    Examples
    --------
    >>> check_count(3, "num_reads")
    3
    """
    if isinstance(value, bool) or not isinstance(value, (Integral, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def check_non_negative(value, name: str, positive: bool = False) -> float:
    """Check that ``value`` is a finite number ≥ 0 (> 0 if ``positive``) and return it as a float.

    Examples
    --------
    >>> check_non_negative(0.5, "weight_decay")
    0.5
    """
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a number, got {type(value).__name__}") from exc
    if not np.isfinite(number) or number < 0 or (positive and number == 0):
        raise ValueError(f"{name} must be a finite {'positive' if positive else 'non-negative'} number, got {value!r}")
    return number


def check_bool(value, name: str) -> bool:
    """Check that a flag is ``True`` or ``False`` (a string such as ``"no"`` is not taken as true) and return it.

    Examples
    --------
    >>> check_bool(False, "calibrate")
    False
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_unit_fraction(value, name: str) -> float:
    """Check that ``value`` is a number in ``[0, 1)`` (a decay factor, a momentum, a threshold) and return it.

    Examples
    --------
    >>> check_unit_fraction(0.95, "fast_decay")
    0.95
    """
    number = check_non_negative(value, name)
    if number >= 1:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return number


def check_beta(value, name: str = "beta") -> float:
    """Check that an inverse temperature is a finite positive number.

    Examples
    --------
    >>> check_beta(2)
    2.0
    """
    try:
        beta = float(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a positive number, got {type(value).__name__}") from exc
    if not np.isfinite(beta) or beta <= 0:
        raise ValueError(f"{name} must be a finite positive number, got {value!r}")
    return beta


def _check_width(array: np.ndarray, name: str, width: int | None) -> None:
    if width is not None and (array.ndim == 0 or array.shape[-1] != width):
        got = array.shape[-1] if array.ndim else "a scalar"
        raise ValueError(f"{name} must have {width} columns, got {got}")


def _dims(allowed: tuple[int, ...]) -> str:
    return " or ".join(f"{d}-D" for d in allowed)


def _shape_text(shape: tuple[int | None, ...]) -> str:
    return "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"


def parse_clamp(clamp, n_visible: int) -> dict[int, int]:
    """``{visible index: 0 or 1}`` from a mapping, or from an array with NaN for free units.

    Parameters
    ----------
    clamp : mapping or array-like
        As in :func:`qbm.generate`.
    n_visible : int
        The model's number of visible units.

    Returns
    -------
    dict of int -> int

    Examples
    --------
    >>> parse_clamp([1, float("nan"), 0], 3)
    {0: 1, 2: 0}
    """
    if clamp is None:
        return {}
    if isinstance(clamp, Mapping):
        items = list(clamp.items())
    else:
        array = np.asarray(clamp, dtype=float)
        if array.shape != (n_visible,):
            raise ValueError(f"clamp must be a mapping or an array of length n_visible={n_visible} "
                             f"(NaN for free units), got shape {array.shape}")
        items = [(i, array[i]) for i in np.flatnonzero(~np.isnan(array))]
    fixed = {}
    for unit, value in items:
        if isinstance(unit, bool) or not isinstance(unit, (int, np.integer)) or not 0 <= unit < n_visible:
            raise ValueError(f"clamp keys must be visible unit indices 0..{n_visible - 1}, got {unit!r}")
        if value not in (0, 1):
            raise ValueError(f"clamp values must be 0 or 1, got {value!r} for unit {unit}")
        fixed[int(unit)] = int(value)
    return fixed
