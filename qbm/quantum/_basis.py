"""The computational basis of a quantum Boltzmann machine's exact layer: basis states, σˣ matrix elements,
and the check that a model is small enough to diagonalise.

>>> basis(2)[0].tolist()
[[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
"""
from __future__ import annotations

import numpy as np

from ..models.kinds import is_quantum

__all__ = ["MAX_QUANTUM_UNITS", "check_quantum_model", "basis", "state_index", "sigma_x"]

MAX_QUANTUM_UNITS = 12
"""Largest number of units the exact quantum layer diagonalises (a dense ``2^12`` matrix)."""


def check_quantum_model(model) -> int:
    if not is_quantum(model):
        raise TypeError(f"model must be a QuantumBoltzmannMachine, got {type(model).__name__}")
    if model.n_units > MAX_QUANTUM_UNITS:
        raise ValueError(f"the exact quantum layer diagonalises at most {MAX_QUANTUM_UNITS} units "
                         f"(a dense 2**n matrix); this model has {model.n_units}")
    return model.n_units



def basis(n: int) -> tuple[np.ndarray, np.ndarray]:
    """The bits of every basis state (unit 0 most significant) and, per unit, the state with that unit flipped."""
    masks = 1 << np.arange(n - 1, -1, -1)
    states = np.arange(2 ** n)[:, None]
    return ((states & masks) > 0).astype(np.float64), states ^ masks



def state_index(rows: np.ndarray) -> np.ndarray:
    """The basis index of each 0/1 row, unit 0 most significant."""
    return rows.astype(np.int64) @ (1 << np.arange(rows.shape[1] - 1, -1, -1))



def sigma_x(operator: np.ndarray, flips: np.ndarray) -> np.ndarray:
    """``Tr[operator σˣ_a] = Σ_k operator[k, k ⊕ a]`` for every unit ``a``."""
    return operator[np.arange(len(operator))[:, None], flips].sum(axis=0)
