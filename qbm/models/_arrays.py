"""Array helpers the model classes share: initial scale, bias arguments, sparse products, BQM vectors."""
from __future__ import annotations

import dimod
import numpy as np

from .._validation import check_array

__all__ = ["INIT_SCALE", "GATHER_ENTRIES", "scaled_biases", "bias_or_zeros", "right_multiply", "index_dtype",
           "bqm_vectors"]

INIT_SCALE = 0.01
GATHER_ENTRIES = 2 ** 22


def scaled_biases(beta: float, values: np.ndarray) -> np.ndarray:
    """``-β · values``, or an error if that leaves the float range (a BQM of infinite biases samples nothing)."""
    with np.errstate(over="ignore"):
        scaled = -beta * values
    if not np.all(np.isfinite(scaled)):
        raise ValueError(f"beta={beta:g} times the model's parameters (largest magnitude "
                         f"{np.abs(values).max():g}) overflows the float range")
    return scaled


def bias_or_zeros(value, name: str, size: int) -> np.ndarray:
    if value is None:
        return np.zeros(size)
    return check_array(value, name, shape=(size,)).copy()


def right_multiply(states: np.ndarray, matrix) -> np.ndarray:
    """``states @ matrix`` for a dense batch and a sparse matrix, any leading shape."""
    flat = states.reshape(-1, states.shape[-1])
    return np.asarray((matrix.T @ flat.T).T).reshape(states.shape)


def index_dtype(n_units: int) -> type:
    """int32 unit indices where they fit: dimod builds a BQM from them twice as fast as from int64."""
    return np.int32 if n_units < 2 ** 31 else np.int64


def bqm_vectors(bqm) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Linear biases and interactions of a BQM labelled ``0..n-1``, in BINARY form."""
    if not isinstance(bqm, dimod.BinaryQuadraticModel):
        raise TypeError(f"bqm must be a dimod.BinaryQuadraticModel, got {type(bqm).__name__}")
    n = bqm.num_variables
    if n == 0 or set(bqm.variables) != set(range(n)):
        raise ValueError(f"bqm variables must be the unit indices 0..{n - 1}, got {list(bqm.variables)[:5]}...")
    binary = bqm.change_vartype(dimod.BINARY, inplace=False) if bqm.vartype is dimod.SPIN else bqm
    linear, (rows, cols, values), _ = binary.to_numpy_vectors(range(n))
    return np.asarray(linear, dtype=np.float64), rows.astype(np.int64), cols.astype(np.int64), values
