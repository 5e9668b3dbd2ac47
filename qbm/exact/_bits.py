"""States as bits: unit 0 most significant, the order of every enumeration and of a Hamiltonian's diagonal."""
from __future__ import annotations

import numpy as np

__all__ = ["bit_table", "states_of"]


def bit_table(start: int, stop: int, n: int) -> np.ndarray:
    """Bits of the states ``start..stop-1`` of ``n`` units, unit 0 most significant.

    Examples
    --------
    >>> bit_table(0, 4, 2)
    array([[0., 0.],
           [0., 1.],
           [1., 0.],
           [1., 1.]])
    """
    return states_of(np.arange(start, stop, dtype=np.int64), n).astype(np.float64)


def states_of(indices: np.ndarray, n: int) -> np.ndarray:
    """The bits of each state index (unit 0 most significant), as int8.

    Examples
    --------
    >>> states_of(np.array([1, 2]), 2).tolist()
    [[0, 1], [1, 0]]
    """
    return ((indices[:, None] >> np.arange(n - 1, -1, -1, dtype=np.int64)) & 1).astype(np.int8)
