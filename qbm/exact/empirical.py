"""A data set as a distribution over visible states: its distinct rows and their frequencies.

>>> states, p = empirical_distribution([[0, 1], [0, 1]], 2)
>>> states.tolist(), p.tolist()
([[0.0, 1.0]], [1.0])
"""
from __future__ import annotations

import numpy as np

from .._validation import check_unit_interval, check_rows

__all__ = ["empirical_distribution"]


def empirical_distribution(target, n_visible: int, probabilities=None) -> tuple[np.ndarray, np.ndarray]:
    """The distinct states of ``target`` with positive probability, and their probabilities.

    Parameters
    ----------
    target : array-like of shape (n_rows, n_visible)
        Data rows (repeated rows counted), or distinct states.
    n_visible : int
        The width of a row.
    probabilities : array-like of shape (n_rows,), optional
        The probability of each state of ``target``; the rows' frequencies by default.

    Returns
    -------
    states : ndarray of shape (n_states, n_visible)
    probabilities : ndarray of shape (n_states,)

    Examples
    --------
    >>> states, p = empirical_distribution([[0, 1], [0, 1], [1, 1]], 2)
    >>> states.tolist(), p.round(3).tolist()
    ([[0.0, 1.0], [1.0, 1.0]], [0.667, 0.333])
    """
    states = check_rows(target, "target", n_visible)
    if probabilities is None:
        states, counts = np.unique(states, axis=0, return_counts=True)
        p = counts / counts.sum()
    else:
        p = check_unit_interval(probabilities, "probabilities", ndim=1, width=len(states))
        if not np.isclose(p.sum(), 1.0):
            raise ValueError(f"probabilities must sum to 1, got {p.sum()}")
    return states[p > 0], p[p > 0]
