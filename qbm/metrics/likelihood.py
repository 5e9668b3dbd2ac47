"""Log-likelihoods: exact where enumeration or elimination allows, AIS (two-sided) past it, and the report
that picks between them.

>>> import qbm
>>> rbm = qbm.RBM(4, 2, random_state=0)
>>> log_likelihood(rbm, [[1, 0, 1, 0]]) == qbm.exact.log_likelihood(rbm, [[1, 0, 1, 0]])
True
"""
from __future__ import annotations


from ..exact import exactly_computable
from ..exact import log_likelihood as exact_log_likelihood
from ..models import RBM, BoltzmannMachine, check_model
from ..typing import RandomLike
from .ais import ais_log_likelihood, log_likelihood_bounds
from ..models.kinds import is_rbm

__all__ = ["REPORT_RAISE_ROWS", "log_likelihood", "likelihood_report"]


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
    if not is_rbm(model):
        return {}
    bounds = log_likelihood_bounds(model, data, raise_rows=REPORT_RAISE_ROWS, random_state=random_state)
    return {"log_likelihood_ais": bounds["upper"], "log_partition_ais_standard_error": bounds["upper_se"],
            "log_likelihood_raise": bounds["lower"], "log_likelihood_raise_standard_error": bounds["lower_se"]}
