"""Samples of a quantum Boltzmann machine's visible units, drawn exactly from its visible marginal.

``P(v) = Tr[Λ_v e^{−βH}] / Z`` is computed by :func:`qbm.quantum.exact.probabilities` (at most
``MAX_QUANTUM_UNITS`` units), so every draw is exact; clamped units condition it.

>>> from qbm.quantum import QuantumBoltzmannMachine
>>> model = QuantumBoltzmannMachine(3, transverse_field=0.5, random_state=0)
>>> generate(model, clamp={0: 1}, num_reads=4, random_state=0)[:, 0].tolist()
[1, 1, 1, 1]
"""
from __future__ import annotations

import numpy as np

from ..typing import RandomLike
from .._validation import check_beta, check_count, parse_clamp
from .._random import check_random_state
from ._basis import check_quantum_model
from .exact import probabilities

__all__ = ["generate"]


def generate(model, clamp=None, num_reads: int = 100, *, beta: float = 1.0,
             random_state: RandomLike = None) -> np.ndarray:
    """Visible states of ``model`` drawn from ``P(v_free | v_clamped)`` at ``beta``, clamped values in place.

    Parameters
    ----------
    model : QuantumBoltzmannMachine
        The model.
    clamp : mapping or array-like, optional
        ``{visible index: 0 or 1}``, or a length-``n_visible`` array with NaN for free units.
    num_reads : int
        Number of rows to return.
    beta : float
        Inverse temperature.
    random_state : int, numpy.random.Generator or None
        The random stream.

    Returns
    -------
    ndarray of int8, shape (num_reads, n_visible)

    Examples
    --------
    >>> from qbm.quantum import QuantumBoltzmannMachine
    >>> generate(QuantumBoltzmannMachine(2, random_state=0), num_reads=3, random_state=0).shape
    (3, 2)
    """
    check_quantum_model(model)
    fixed = parse_clamp(clamp, model.n_visible)
    num_reads = check_count(num_reads, "num_reads")
    rng = check_random_state(random_state)
    p = probabilities(model, check_beta(beta))
    states = (np.arange(len(p))[:, None] >> np.arange(model.n_visible - 1, -1, -1)) & 1   # unit 0 most significant
    allowed = np.all(states[:, list(fixed)] == list(fixed.values()), axis=1) if fixed else np.ones(len(p), bool)
    weights = np.where(allowed, p, 0.0)
    if weights.sum() <= 0:
        raise ValueError("the clamped states have probability zero under the model")
    return states[rng.choice(len(p), size=num_reads, p=weights / weights.sum())].astype(np.int8)
