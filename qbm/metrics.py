"""How good is a model: exact and AIS likelihoods, pseudo-likelihood, reconstruction, KL.

>>> import qbm
>>> data = qbm.datasets.bars_and_stripes(3)
>>> rbm = qbm.RBM(9, 4, random_state=0)
>>> round(kl_divergence(rbm, data), 3)  # near-uniform model: about log(512/14)
3.599
"""
from __future__ import annotations

import numpy as np
from scipy.special import log_expit

from .ais import ais_log_likelihood, ais_log_partition, log_likelihood_bounds
from .backend import softplus
from .exact import exactly_computable, log_probabilities
from .exact import log_likelihood as exact_log_likelihood
from .models import RBM, BoltzmannMachine, check_model
from .typing import RandomLike
from ._validation import check_binary, check_unit_interval

__all__ = [
    "exact_log_likelihood",
    "ais_log_partition",
    "log_likelihood",
    "ais_log_likelihood",
    "log_likelihood_bounds",
    "likelihood_report",
    "pseudo_log_likelihood",
    "pseudo_log_likelihoods",
    "reconstruction_error",
    "kl_divergence",
    "empirical_distribution",
]

_CHUNK_ENTRIES = 2 ** 22
REPORT_RAISE_ROWS = 20   # rows RAISE anneals down from in a report: its cost is 10 runs each


def log_likelihood(model: RBM | BoltzmannMachine, data, method: str = "exact", **ais_options) -> float:
    """Mean ``log p(v)`` over ``data``: ``"exact"`` enumeration, or ``"ais"`` for a large RBM.

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model.
    data : array-like of shape (n_rows, n_visible)
        Rows of 0/1 visible states.
    method : {"exact", "ais"}
        Enumeration, or an AIS estimate of ``log Z`` (RBM only).
    **ais_options
        Passed to :func:`ais_log_partition`.

    Returns
    -------
    float

    Examples
    --------
    >>> import qbm
    >>> rbm = qbm.RBM(6, 3, random_state=0)
    >>> data = [[1, 0, 1, 0, 1, 0]]
    >>> abs(log_likelihood(rbm, data) - log_likelihood(rbm, data, "ais", random_state=0, betas=300)) < 0.05
    True
    """
    check_model(model, quantum="qbm.quantum.log_likelihood")
    if method == "exact":
        return exact_log_likelihood(model, data)
    if method == "ais":
        return ais_log_likelihood(model, data, **ais_options)[0]
    raise ValueError(f"method must be 'exact' or 'ais', got {method!r}")


def likelihood_report(model: RBM | BoltzmannMachine, data, random_state: RandomLike = None) -> dict[str, float]:
    """The mean log-likelihood of ``data``, exact where the model allows it (enumeration or elimination),
    for a larger RBM as an interval from both sides of AIS.

    The report of ``qbm train`` and ``qbm evaluate``.  The interval is
    :func:`log_likelihood_bounds` at its defaults: forward AIS above, RAISE below from
    ``REPORT_RAISE_ROWS`` of the rows (its ``log Z`` applied to all of them); a wide interval, or a
    large standard error on either side, says the anneal is too short for the model.

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model.
    data : array-like of shape (n_rows, n_visible)
        Rows of 0/1 visible states.
    random_state : int, numpy.random.Generator or None
        Seeds the AIS estimates.

    Returns
    -------
    dict of str -> float
        ``{"log_likelihood": ...}`` (exact); ``{"log_likelihood_ais": ..., "log_partition_ais_standard_error":
        ..., "log_likelihood_raise": ..., "log_likelihood_raise_standard_error": ...}`` (the forward side and
        its ``log Z`` standard error, the RAISE side and its standard error); or ``{}`` for a general BM too
        large to enumerate.

    Examples
    --------
    >>> import qbm
    >>> sorted(likelihood_report(qbm.RBM(4, 2, random_state=0), [[1, 0, 1, 0]]))
    ['log_likelihood']
    """
    if exactly_computable(model):
        return {"log_likelihood": log_likelihood(model, data)}
    if not isinstance(model, RBM):
        return {}
    bounds = log_likelihood_bounds(model, data, raise_rows=REPORT_RAISE_ROWS, random_state=random_state)
    return {"log_likelihood_ais": bounds["upper"], "log_partition_ais_standard_error": bounds["upper_se"],
            "log_likelihood_raise": bounds["lower"], "log_likelihood_raise_standard_error": bounds["lower_se"]}


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
    if isinstance(model, BoltzmannMachine):
        if model.n_hidden:
            raise TypeError("pseudo_log_likelihood needs a fully visible BoltzmannMachine or an RBM")
        v = check_binary(data, "data", ndim=2, width=model.n_visible)
        return np.sum(log_expit((2 * v - 1) * model.local_fields(v)), axis=1)
    check_model(model)
    v = check_binary(data, "data", ndim=2, width=model.n_visible)
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
    if not isinstance(model, RBM):
        raise TypeError(f"reconstruction_error needs an RBM, got {type(model).__name__}")
    v = check_unit_interval(data, "data", ndim=2, width=model.n_visible)
    return float(np.mean((v - model.visible_probabilities(model.hidden_probabilities(v))) ** 2))


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
    states = check_binary(target, "target", ndim=2, width=n_visible)
    if probabilities is None:
        states, counts = np.unique(states, axis=0, return_counts=True)
        p = counts / counts.sum()
    else:
        p = check_unit_interval(probabilities, "probabilities", ndim=1, width=len(states))
        if not np.isclose(p.sum(), 1.0):
            raise ValueError(f"probabilities must sum to 1, got {p.sum()}")
    return states[p > 0], p[p > 0]
