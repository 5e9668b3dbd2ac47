"""Conversions between the forms a Boltzmann machine's energy is written in.

Bits ``x ∈ {0,1}`` and spins ``σ = 2x - 1``; an upper-triangular QUBO matrix ``Q``
with ``E(x) = xᵀQx + offset``; an Ising pair ``(h, J)`` with
``E(σ) = hᵀσ + σᵀJσ + offset``; and :class:`dimod.BinaryQuadraticModel`.  Every
conversion keeps the offset, so each state has exactly the same energy in every
form.  Dict forms are delegated to dimod; the dense numpy forms are added here.

>>> import numpy as np
>>> Q = np.array([[-1.0, 2.0], [0.0, -1.0]])
>>> h, J, offset = qubo_to_ising(Q)
>>> float(energies(Q, [1, 0])) == float(energies((h, J, offset), [1, -1]))
True
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dimod
import numpy as np

from ._validation import check_array, check_binary, check_spins

__all__ = [
    "bits_to_spins",
    "spins_to_bits",
    "qubo_to_ising",
    "ising_to_qubo",
    "as_bqm",
    "qubo_matrix",
    "energies",
    "check_finite_bqm",
]


def bits_to_spins(bits) -> np.ndarray:
    """Map bits ``{0, 1}`` to spins ``{-1, +1}`` (``σ = 2x - 1``), any shape.

    Parameters
    ----------
    bits : array-like of 0/1
        Any shape.

    Returns
    -------
    ndarray of int8
        The spins, same shape.

    Examples
    --------
    >>> bits_to_spins([[0, 1]])
    array([[-1,  1]], dtype=int8)
    """
    array = check_binary(bits, "bits")
    return (2 * array - 1).astype(np.int8)


def spins_to_bits(spins) -> np.ndarray:
    """Map spins ``{-1, +1}`` to bits ``{0, 1}`` (``x = (σ + 1) / 2``), any shape.

    Parameters
    ----------
    spins : array-like of -1/+1
        Any shape.

    Returns
    -------
    ndarray of int8
        The bits, same shape.

    Examples
    --------
    >>> spins_to_bits([-1, 1])
    array([0, 1], dtype=int8)
    """
    array = check_spins(spins, "spins")
    return ((array + 1) // 2).astype(np.int8)


def _split_square(matrix, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Return the diagonal and the folded strictly-upper part of a square matrix."""
    array = check_array(matrix, name, ndim=2)
    if array.shape[0] != array.shape[1]:
        raise ValueError(f"{name} must be a square matrix, got shape {array.shape}")
    upper = np.triu(array, 1) + np.tril(array, -1).T
    return np.diag(array).copy(), upper


def qubo_to_ising(Q, offset: float = 0.0):
    """Convert a QUBO to Ising form, keeping every state's energy.

    ``Q`` is either a square numpy matrix (entries below the diagonal are folded
    onto the upper triangle: ``Q_ij + Q_ji`` is the coupling) or a dimod-style dict
    ``{(u, v): bias}``.  Dense in, dense out: ``(h, J, offset)`` with ``J`` strictly
    upper-triangular; dict in, dict out (via :func:`dimod.qubo_to_ising`).

    Parameters
    ----------
    Q : array-like of shape (n, n) or dict
        The QUBO.
    offset : float
        Constant energy added to every state.

    Returns
    -------
    h, J, offset
        Dense ``(ndarray (n,), ndarray (n, n), float)`` or dimod's dict form.

    Examples
    --------
    >>> h, J, offset = qubo_to_ising([[-1.0, 2.0], [0.0, -1.0]])
    >>> h, J[0, 1], offset
    (array([0., 0.]), np.float64(0.5), -0.5)
    """
    offset = _check_offset(offset)
    if isinstance(Q, Mapping):
        return dimod.qubo_to_ising(_finite_values(Q, "Q"), offset)
    diagonal, upper = _split_square(Q, "Q")
    J = upper / 4.0
    h = diagonal / 2.0 + (upper.sum(axis=1) + upper.sum(axis=0)) / 4.0
    return h, J, float(offset + diagonal.sum() / 2.0 + upper.sum() / 4.0)


def ising_to_qubo(h, J, offset: float = 0.0):
    """Convert an Ising model to QUBO form, keeping every state's energy.

    Dense in (``h`` a vector, ``J`` a square matrix with zero diagonal, lower
    entries folded onto the upper triangle), dense out: ``(Q, offset)`` with ``Q``
    upper-triangular.  A dict ``J`` is delegated to :func:`dimod.ising_to_qubo`.

    Parameters
    ----------
    h : array-like of shape (n,) or dict
        Linear biases.
    J : array-like of shape (n, n) or dict
        Couplings.
    offset : float
        Constant energy added to every state.

    Returns
    -------
    Q, offset
        Dense ``(ndarray (n, n), float)`` or dimod's dict form.

    Examples
    --------
    >>> Q, offset = ising_to_qubo([0.0, 0.0], [[0.0, 0.5], [0.0, 0.0]], -0.5)
    >>> Q
    array([[-1.,  2.],
           [ 0., -1.]])
    """
    offset = _check_offset(offset)
    if isinstance(J, Mapping):
        return dimod.ising_to_qubo(_finite_values(h, "h"), _finite_values(J, "J"), offset)
    diagonal, upper = _split_square(J, "J")
    h = check_array(h, "h", shape=(upper.shape[0],))
    if np.any(diagonal != 0):
        raise ValueError("J must have a zero diagonal (σ_i² = 1 is a constant: put it in offset)")
    Q = 4.0 * upper
    Q[np.diag_indices_from(Q)] = 2.0 * h - 2.0 * (upper.sum(axis=1) + upper.sum(axis=0))
    return Q, float(offset - h.sum() + upper.sum())


def as_bqm(obj: Any, vartype=None) -> dimod.BinaryQuadraticModel:
    """Return ``obj`` as a :class:`dimod.BinaryQuadraticModel`.

    Accepts a BQM (returned as it is unless ``vartype`` asks for the other one),
    anything with a ``to_bqm()`` method (a ``qbm`` model), a dense QUBO matrix, a
    QUBO dict, or an Ising pair ``(h, J)`` / triple ``(h, J, offset)`` in dense or
    dict form.  Dense forms get integer labels ``0..n-1``.

    Parameters
    ----------
    obj : BQM, qbm model, QUBO matrix or dict, or Ising pair or triple
        What to convert.
    vartype : dimod.Vartype or str, optional
        The vartype of the result; the natural one of ``obj`` by default.

    Returns
    -------
    dimod.BinaryQuadraticModel

    Examples
    --------
    >>> as_bqm([[-1.0, 2.0], [0.0, -1.0]]).quadratic
    {(1, 0): 2.0}
    """
    bqm = check_finite_bqm(_to_bqm(obj))
    if vartype is not None:
        try:
            vartype = dimod.as_vartype(vartype)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"vartype must be 'BINARY' or 'SPIN', got {vartype!r}") from exc
        if bqm.vartype is not vartype:
            bqm = bqm.change_vartype(vartype, inplace=False)
    return bqm


def check_finite_bqm(bqm: dimod.BinaryQuadraticModel, name: str = "bqm") -> dimod.BinaryQuadraticModel:
    """``bqm`` itself if every bias and the offset are finite; a ``ValueError`` naming the first bad one otherwise.

    Parameters
    ----------
    bqm : dimod.BinaryQuadraticModel
        The problem.
    name : str
        What to call it in the message.

    Returns
    -------
    dimod.BinaryQuadraticModel

    Examples
    --------
    >>> check_finite_bqm(dimod.BinaryQuadraticModel({"a": float("nan")}, {}, 0.0, "SPIN"))
    Traceback (most recent call last):
    ...
    ValueError: bqm must have finite biases and offset; the linear bias of 'a' is nan
    """
    linear, (rows, cols, values), offset = bqm.to_numpy_vectors()
    labels = list(bqm.variables)
    bad = np.flatnonzero(~np.isfinite(linear))
    if len(bad):
        raise ValueError(f"{name} must have finite biases and offset; the linear bias of {labels[bad[0]]!r} is "
                         f"{linear[bad[0]]}")
    bad = np.flatnonzero(~np.isfinite(values))
    if len(bad):
        raise ValueError(f"{name} must have finite biases and offset; the coupling of {labels[rows[bad[0]]]!r} and "
                         f"{labels[cols[bad[0]]]!r} is {values[bad[0]]}")
    if not np.isfinite(offset):
        raise ValueError(f"{name} must have finite biases and offset; the offset is {offset}")
    return bqm


def _to_bqm(obj: Any) -> dimod.BinaryQuadraticModel:
    if isinstance(obj, dimod.BinaryQuadraticModel):
        return obj
    if hasattr(obj, "to_bqm"):
        return obj.to_bqm()
    if isinstance(obj, Mapping):
        return dimod.BinaryQuadraticModel.from_qubo(obj)
    if isinstance(obj, tuple):
        if len(obj) not in (2, 3):
            raise ValueError(f"an Ising model must be (h, J) or (h, J, offset), got a tuple of {len(obj)}")
        h, J = obj[0], obj[1]
        offset = _check_offset(obj[2] if len(obj) == 3 else 0.0)
        if isinstance(J, Mapping):
            return dimod.BinaryQuadraticModel.from_ising(h, J, offset)
        diagonal, upper = _split_square(J, "J")
        if np.any(diagonal != 0):
            raise ValueError("J must have a zero diagonal (σ_i² = 1 is a constant: put it in offset)")
        h = check_array(h, "h", shape=(upper.shape[0],))
        return _from_dense(h, upper, offset, dimod.SPIN)
    if isinstance(obj, (np.ndarray, list)):
        diagonal, upper = _split_square(obj, "Q")
        return _from_dense(diagonal, upper, 0.0, dimod.BINARY)
    raise TypeError(
        "expected a BinaryQuadraticModel, a qbm model, a QUBO matrix or dict, or an Ising "
        f"(h, J[, offset]) tuple, got {type(obj).__name__}"
    )


def _from_dense(linear: np.ndarray, upper: np.ndarray, offset: float, vartype) -> dimod.BinaryQuadraticModel:
    rows, cols = np.nonzero(upper)
    return dimod.BinaryQuadraticModel.from_numpy_vectors(
        linear, (rows, cols, upper[rows, cols]), offset, vartype
    )


def qubo_matrix(obj: Any) -> tuple[np.ndarray, float, list]:
    """Dense upper-triangular QUBO ``(Q, offset, labels)`` of anything :func:`as_bqm` takes.

    Row/column ``k`` of ``Q`` is variable ``labels[k]`` (the BQM's variable order);
    ``xᵀQx + offset`` is the energy of every binary state ``x``.

    Parameters
    ----------
    obj : BQM, qbm model, QUBO matrix or dict, or Ising pair or triple
        Anything :func:`as_bqm` accepts.

    Returns
    -------
    Q : ndarray of shape (n, n)
        Upper-triangular QUBO matrix.
    offset : float
        Constant energy.
    labels : list
        The variable of each row.

    Examples
    --------
    >>> Q, offset, labels = qubo_matrix(([1.0, 0.0], [[0.0, 0.0], [0.0, 0.0]]))
    >>> Q, offset, labels
    (array([[2., 0.],
           [0., 0.]]), -1.0, [0, 1])
    """
    if hasattr(obj, "to_qubo") and not isinstance(obj, dimod.BinaryQuadraticModel):
        Q, offset = obj.to_qubo()
        return Q, float(offset), list(range(Q.shape[0]))
    bqm = as_bqm(obj, dimod.BINARY)
    labels = list(bqm.variables)
    linear, (rows, cols, values), offset = bqm.to_numpy_vectors(labels)
    Q = np.zeros((len(labels), len(labels)))
    Q[np.minimum(rows, cols), np.maximum(rows, cols)] = values
    Q[np.diag_indices_from(Q)] = linear
    return Q, float(offset), labels


def energies(obj: Any, states) -> np.ndarray:
    """Energies of a batch of states, vectorised.

    States are bits for QUBO forms and BINARY BQMs, spins for Ising pairs and SPIN
    BQMs, and full unit states (bits) for ``qbm`` models.  The last axis indexes
    variables (for a BQM, in ``bqm.variables`` order); the result has the leading
    shape of ``states``.

    Parameters
    ----------
    obj : BQM, qbm model, QUBO matrix or dict, or Ising pair or triple
        The energy function.
    states : array-like of shape (..., n)
        Bits or spins, as above.

    Returns
    -------
    ndarray
        One energy per state: the leading shape of ``states``.

    Examples
    --------
    >>> energies([[-1.0, 2.0], [0.0, -1.0]], [[0, 0], [0, 1], [1, 0], [1, 1]])
    array([ 0., -1., -1.,  0.])
    """
    if hasattr(obj, "energy") and not isinstance(obj, dimod.BinaryQuadraticModel):
        return obj.energy(states)
    if isinstance(obj, (np.ndarray, list)):
        Q = check_array(obj, "Q", ndim=2)
        x = check_binary(states, "states", width=Q.shape[1])
        return np.sum((x @ Q) * x, axis=-1)
    if isinstance(obj, tuple) and len(obj) in (2, 3) and not isinstance(obj[1], Mapping):
        h, J, offset = (*obj, 0.0) if len(obj) == 2 else obj
        J = check_array(J, "J", ndim=2)
        h = check_array(h, "h", shape=(J.shape[0],))
        s = check_spins(states, "states", width=J.shape[0])
        return s @ h + np.sum((s @ J) * s, axis=-1) + _check_offset(offset)
    bqm = as_bqm(obj)
    check = check_binary if bqm.vartype is dimod.BINARY else check_spins
    array = check(states, "states", width=bqm.num_variables)
    if bqm.num_variables == 0:  # every (empty) state has the offset's energy
        return np.full(array.shape[:-1], float(bqm.offset))
    flat = array.reshape(-1, bqm.num_variables)
    return bqm.energies((flat, list(bqm.variables))).reshape(array.shape[:-1])


def _finite_values(mapping, name: str):
    """A dict form (or a sequence of biases) whose values are all finite numbers."""
    values = mapping.values() if isinstance(mapping, Mapping) else mapping
    check_array(list(values), name)  # raises unless every value is a finite number
    return mapping


def _check_offset(offset) -> float:
    try:
        value = float(offset)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"offset must be a number, got {type(offset).__name__}") from exc
    if not np.isfinite(value):
        raise ValueError(f"offset must be finite, got {offset!r}")
    return value
