"""Exact ``KL(target ‖ model)`` over the visible units.

>>> import qbm
>>> kl_divergence(qbm.RBM(2, 1), [[0, 0], [1, 1]]) < 0.7
True
"""
from __future__ import annotations

import numpy as np

from ..exact import log_probabilities
from ..exact import empirical_distribution
from ..models import RBM, BoltzmannMachine, check_model

__all__ = ["kl_divergence"]


def kl_divergence(model: RBM | BoltzmannMachine, target, probabilities=None) -> float:
    """Exact ``KL(target ‖ model)`` in nats over the visible units.

    ``target`` is either the rows of a data set (its empirical distribution, repeated
    rows counted) or distinct states with their ``probabilities``.

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model.
    target : array-like of shape (n_rows, n_visible)
        Data rows, or distinct states.
    probabilities : array-like of shape (n_rows,), optional
        The probability of each state of ``target``.

    Returns
    -------
    float
        In nats; 0 when the model's visible marginal equals the target.

    Examples
    --------
    >>> import qbm
    >>> kl_divergence(qbm.RBM(2, 1), [[0, 0], [1, 1]]) < 0.7
    True
    """
    check_model(model, quantum="qbm.quantum.kl_divergence")
    states, p = empirical_distribution(target, model.n_visible, probabilities)
    return float(np.sum(p * (np.log(p) - log_probabilities(model, states))))
