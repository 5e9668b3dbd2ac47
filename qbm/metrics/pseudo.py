"""Cheap measures that need no partition function: pseudo-log-likelihood and reconstruction error.

>>> import qbm
>>> pseudo_log_likelihood(qbm.RBM(3, 2, weights=[[0.0] * 2] * 3), [[1, 0, 1]]) < 0
True
"""
from __future__ import annotations

import numpy as np
from scipy.special import log_expit

from ..backend import softplus
from ..models import RBM, BoltzmannMachine, check_model
from .._validation import check_rows
from ..models.kinds import is_graph_bm, is_rbm

__all__ = ["pseudo_log_likelihood", "pseudo_log_likelihoods", "reconstruction_error"]


_CHUNK_ENTRIES = 2 ** 22


def pseudo_log_likelihood(model: RBM | BoltzmannMachine, data) -> float:
    """Mean over rows of ``Σ_i log p(v_i | v_-i)``, exact, every visible unit.

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model.
    data : array-like of shape (n_rows, n_visible)
        Rows of 0/1 visible states.

    Returns
    -------
    float

    Examples
    --------
    >>> import qbm
    >>> round(pseudo_log_likelihood(qbm.RBM(4, 2, weights=[[0, 0]] * 4), [[1, 0, 1, 0]]), 3)  # 4·log(1/2)
    -2.773
    """
    return float(np.mean(pseudo_log_likelihoods(model, data)))


def pseudo_log_likelihoods(model: RBM | BoltzmannMachine, data) -> np.ndarray:
    """``Σ_i log p(v_i | v_-i)`` of each row: for an RBM from free-energy differences, for a
    fully visible BM from local fields.

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model.
    data : array-like of shape (n_rows, n_visible)
        Rows of 0/1 visible states.

    Returns
    -------
    ndarray of shape (n_rows,)

    Examples
    --------
    >>> import qbm
    >>> pseudo_log_likelihoods(qbm.BoltzmannMachine(2, weights=[0.0]), [[1, 0], [0, 0]]).round(3)
    array([-1.386, -1.386])
    """
    if is_graph_bm(model):
        if model.n_hidden:
            raise TypeError("pseudo_log_likelihood needs a fully visible BoltzmannMachine or an RBM")
        v = check_rows(data, "data", model.n_visible)
        return np.sum(log_expit((2 * v - 1) * model.local_fields(v)), axis=1)
    check_model(model)
    v = check_rows(data, "data", model.n_visible)
    rows = max(1, _CHUNK_ENTRIES // (model.n_visible * model.n_hidden))
    totals = [np.zeros(0)]
    for start in range(0, len(v), rows):
        chunk = v[start:start + rows]
        pre = chunk @ model.weights + model.hidden_bias                     # (N, H)
        sign = 1 - 2 * chunk                                                # +1 turns a unit on
        flipped = pre[:, None, :] + sign[:, :, None] * model.weights[None]  # (N, V, H)
        # log p(v_i | rest) = -log(1 + exp(F(v) - F(v with i flipped)))
        difference = (sign * model.visible_bias + softplus(flipped).sum(axis=2)
                      - softplus(pre).sum(axis=1)[:, None])
        totals.append(log_expit(-difference).sum(axis=1))
    return np.concatenate(totals)


def reconstruction_error(model: RBM, data) -> float:
    """Mean squared error of the mean-field reconstruction ``p(v | p(h | v))``.

    Parameters
    ----------
    model : RBM
        The model.
    data : array-like of shape (n_rows, n_visible)
        Rows of values in [0, 1].

    Returns
    -------
    float

    Examples
    --------
    >>> import qbm
    >>> round(reconstruction_error(qbm.RBM(2, 1, weights=[[0.0], [0.0]]), [[1, 1]]), 3)
    0.25
    """
    if not is_rbm(model):
        raise TypeError(f"reconstruction_error needs an RBM, got {type(model).__name__}")
    v = check_rows(data, "data", model.n_visible, probabilities=True)
    return float(np.mean((v - model.visible_probabilities(model.hidden_probabilities(v))) ** 2))
