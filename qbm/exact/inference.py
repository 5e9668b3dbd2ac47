"""Exact log Z, distributions, likelihoods and expectations of any classical model, QUBO, Ising problem or BQM.

>>> from qbm.quantum import probabilities
>>> import numpy as np
>>> states, energies, probabilities = distribution([[-1.0, 2.0], [0.0, -1.0]])
>>> energies, probabilities.round(2), round(float(np.exp(log_partition([[-1.0, 2.0], [0.0, -1.0]]))), 2)
(array([ 0., -1., -1.,  0.]), array([0.13, 0.37, 0.37, 0.13]), 7.44)
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dimod
import numpy as np
from scipy.special import logsumexp

from ..backend import Backend, get_backend
from ..convert import ising_to_qubo, qubo_matrix
from ..models import RBM, BoltzmannMachine, check_model, refuse_quantum
from .._validation import check_beta, check_binary, check_rows
from .elimination import eliminated_marginals
from ._bits import bit_table
from .enumeration import (BLOCK_ENTRIES, all_energies, log_unnormalised_marginals, qubo_log_partition,
                          rbm_log_partition)
from .layer_sums import layer_expectations, layer_log_partition, scaled_rbm
from .planner import MAX_TABLE_UNITS, check_enumerable, check_table, elimination_plan
from ..models.kinds import is_rbm


def log_partition(obj: Any, beta: float = 1.0, backend: str | Backend | None = None) -> float:
    """Exact ``log Z(β) = log Σ_s exp(-β E(s))``, by log-sum-exp over blocks of states.

    ``obj`` is anything :func:`qbm.convert.as_bqm` accepts (a model, a BQM, a QUBO matrix,
    an Ising pair).  For an :class:`~qbm.models.RBM` the larger layer is summed analytically and
    only the smaller one enumerated.

    Parameters
    ----------
    obj : qbm model, BQM, QUBO matrix or dict, or Ising pair or triple
        The energy function (anything :func:`qbm.convert.as_bqm` accepts).
    beta : float
        Inverse temperature.
    backend : str or qbm.backend.Backend, optional
        Sum an RBM's layers on this array backend (:mod:`qbm.exact.layer_sums`, e.g. ``"torch:cuda"``);
        NumPy by default.

    Returns
    -------
    float
        ``log Z(β)``.

    Examples
    --------
    >>> round(log_partition(RBM(30, 2, random_state=0)), 3)  # 2**2 terms, not 2**32
    22.193
    """
    beta = check_beta(beta)
    refuse_quantum(obj, "obj", quantum="qbm.quantum.log_partition")
    backend = get_backend(backend)
    if not backend.is_numpy:
        return layer_log_partition(device_rbm(obj, "obj"), beta, backend)
    if is_rbm(obj):
        return rbm_log_partition(obj, beta)
    Q, offset, _ = qubo_matrix(obj)
    return qubo_log_partition(beta * Q, beta * offset)


def distribution(obj: Any, beta: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All states with their energies and Boltzmann probabilities at ``beta``.

    States are bits for BINARY objects and spins for SPIN ones (Ising pairs, SPIN
    BQMs), columns in the BQM's variable order, rows in binary counting order.

    Parameters
    ----------
    obj : qbm model, BQM, QUBO matrix or dict, or Ising pair or triple
        The energy function (anything :func:`qbm.convert.as_bqm` accepts).
    beta : float
        Inverse temperature.

    Returns
    -------
    states : ndarray of shape (2**n, n)
        Every state, unit 0 most significant (spins for an Ising form, else bits).
    energies : ndarray of shape (2**n,)
        Their energies.
    probabilities : ndarray of shape (2**n,)
        Their Boltzmann probabilities at ``beta``.

    Examples
    --------
    >>> states, energies, probabilities = distribution(([1.0], [[0.0]]))
    >>> states.ravel(), energies
    (array([-1,  1], dtype=int8), array([-1.,  1.]))
    """
    beta = check_beta(beta)
    refuse_quantum(obj, "obj", quantum="qbm.quantum.probabilities")
    Q, offset, _ = qubo_matrix(obj)
    check_table(Q.shape[0])
    energies = all_energies(Q, offset)
    log_weights = -beta * energies
    probabilities = np.exp(log_weights - logsumexp(log_weights))
    states = bit_table(0, 2 ** Q.shape[0], Q.shape[0]).astype(np.int8)
    if vartype(obj) is dimod.SPIN:
        states = 2 * states - 1
    return states, energies, probabilities


def log_likelihood(model: RBM | BoltzmannMachine, data, beta: float = 1.0) -> float:
    """Exact mean ``log p(v)`` of the rows of ``data``, hidden units marginalised.

    An RBM enumerates only its smaller layer (so 784×20 is as easy as 20×20); a
    general BM enumerates all units for ``log Z`` and its hidden units per row.

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model.
    data : array-like of shape (n_rows, n_visible)
        Rows of 0/1 visible states.
    beta : float
        Inverse temperature.

    Returns
    -------
    float
        Mean ``log p(v)`` over the rows, hidden units summed out.

    Examples
    --------
    >>> rbm = RBM(4, 2, random_state=0)
    >>> round(log_likelihood(rbm, [[1, 0, 1, 0]]), 4)
    -2.7806
    """
    check_model(model, quantum="qbm.quantum.log_likelihood")
    return float(np.mean(log_probabilities(model, data, beta)))


def log_probabilities(model: RBM | BoltzmannMachine, data, beta: float = 1.0) -> np.ndarray:
    """Exact ``log p(v)`` of each row of ``data`` (see :func:`log_likelihood`).

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model.
    data : array-like of shape (n_rows, n_visible)
        Rows of 0/1 visible states.
    beta : float
        Inverse temperature.

    Returns
    -------
    ndarray of shape (n_rows,)
        ``log p(v)`` of each row.

    Examples
    --------
    >>> rbm = RBM(2, 1, weights=[[0.0], [0.0]])  # uniform: each visible state has p = 1/4
    >>> log_probabilities(rbm, [[0, 0], [1, 1]]).round(3)
    array([-1.386, -1.386])
    """
    beta = check_beta(beta)
    check_model(model, quantum="qbm.quantum.log_probabilities")
    v = check_rows(data, "data", model.n_visible)
    if is_rbm(model):
        scaled = scaled_rbm(model, beta)
        return -scaled.free_energy(v) - rbm_log_partition(scaled, 1.0)
    Q, _ = model.to_qubo(beta)
    return log_unnormalised_marginals(Q, v, model.n_visible) - qubo_log_partition(Q, 0.0)


def expectations(model: RBM | BoltzmannMachine, beta: float = 1.0,
                 backend: str | Backend | None = None) -> dict[str, np.ndarray]:
    """Exact model expectations ``⟨∂(-E)/∂θ⟩`` at ``beta``, keyed by parameter name.

    An RBM enumerates its smaller layer and uses the exact conditional means of the
    other; a general BM enumerates all its units (at most 24).

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model.
    beta : float
        Inverse temperature.
    backend : str or qbm.backend.Backend, optional
        Sum an RBM's layers on this array backend (:mod:`qbm.exact.layer_sums`); NumPy by default.

    Returns
    -------
    dict of str -> ndarray
        ``⟨∂(-E)/∂θ⟩`` for each of the model's parameter names (host arrays).

    Examples
    --------
    >>> rbm = RBM(3, 2)  # zero biases, tiny weights: every unit is on half the time
    >>> expectations(rbm)["visible_bias"].round(2)
    array([0.5, 0.5, 0.5])
    """
    beta = check_beta(beta)
    backend = get_backend(backend)
    if not backend.is_numpy:
        return layer_expectations(device_rbm(model, "model"), beta, backend)
    if is_rbm(check_model(model, quantum="qbm.quantum.expectations")):
        return layer_expectations(model, beta)
    Q, _ = model.to_qubo(beta)
    plan = elimination_plan(Q, model.n_units, model.edges, enumerable=MAX_TABLE_UNITS)
    if plan is not None:
        means, pair_means = eliminated_marginals(Q, model.edges, plan)
        return {"weights": pair_means, "biases": means}
    states, _, probabilities = distribution(model, beta)
    return model.sufficient_statistics(states, probabilities)


def clamped_expectations(model: BoltzmannMachine, data, beta: float = 1.0) -> dict[str, np.ndarray]:
    """Exact data-side expectations: hidden units summed over ``p(h | v)`` for each row ``v``.

    Parameters
    ----------
    model : BoltzmannMachine
        A BM with hidden units.
    data : array-like of shape (n_rows, n_visible)
        Rows of 0/1 visible states.
    beta : float
        Inverse temperature.

    Returns
    -------
    dict of str -> ndarray
        The data side ``⟨∂(-E)/∂θ⟩_data``, averaged over the rows.

    Examples
    --------
    >>> bm = BoltzmannMachine(2, 1, random_state=0)
    >>> sorted(clamped_expectations(bm, [[1, 0]]))
    ['biases', 'weights']
    """
    beta = check_beta(beta)
    check_model(model, quantum="qbm.quantum.ExactQuantumPhase().data_statistics")
    v = check_binary(data, "data", ndim=2, width=model.n_visible)
    n_hidden = model.n_hidden
    check_enumerable(n_hidden, "number of hidden units")
    Q, _ = model.to_qubo(beta)
    hidden = bit_table(0, 2 ** n_hidden, n_hidden)
    hidden_energies = np.sum((hidden @ Q[model.n_visible:, model.n_visible:]) * hidden, axis=1)
    rows_per_chunk = max(1, BLOCK_ENTRIES // len(hidden))
    totals: dict[str, np.ndarray] = {}
    for start in range(0, len(v), rows_per_chunk):
        chunk = v[start:start + rows_per_chunk]
        log_weights = -(chunk @ Q[: model.n_visible, model.n_visible:] @ hidden.T + hidden_energies)
        weights = np.exp(log_weights - logsumexp(log_weights, axis=1, keepdims=True))
        states = np.concatenate([np.repeat(chunk, len(hidden), axis=0), np.tile(hidden, (len(chunk), 1))], axis=1)
        share = len(chunk) / len(v)
        for name, value in model.sufficient_statistics(states, weights.ravel()).items():
            totals[name] = totals.get(name, 0.0) + share * value
    return totals


def hamiltonian_diagonal(h, J, offset: float = 0.0) -> np.ndarray:
    """Diagonal of ``H = Σ h_a σ^z_a + Σ J_ab σ^z_a σ^z_b + offset`` in the computational basis.

    Basis state ``k`` has qubit 0 as its most significant bit and
    ``σ^z = diag(-1, +1)``, so bit 0 contributes ``σ = -1``.

    Parameters
    ----------
    h : array-like of shape (n,)
        Linear Ising biases.
    J : array-like of shape (n, n)
        Ising couplings (lower entries folded onto the upper triangle).
    offset : float
        Constant energy.

    Returns
    -------
    ndarray of shape (2**n,)
        The diagonal of the Hamiltonian.

    Examples
    --------
    >>> hamiltonian_diagonal([1.0, 0.0], [[0.0, 0.5], [0.0, 0.0]])
    array([-0.5, -1.5,  0.5,  1.5])
    """
    if isinstance(h, Mapping) or isinstance(J, Mapping):
        raise TypeError("hamiltonian_diagonal takes dense h (a vector) and J (a square matrix); for dict forms, "
                        "order the variables first (e.g. qbm.convert.qubo_matrix(qbm.convert.as_bqm((h, J))))")
    Q, offset = ising_to_qubo(h, J, offset)
    check_table(Q.shape[0])
    return all_energies(Q, offset)


def vartype(obj: Any):
    if isinstance(obj, dimod.BinaryQuadraticModel):
        return obj.vartype
    if isinstance(obj, tuple):
        return dimod.SPIN
    return dimod.BINARY


def device_rbm(obj: Any, name: str) -> RBM:
    if not is_rbm(obj):
        raise TypeError(f"backend= sums the layers of an RBM; for a {type(obj).__name__} as {name} leave the backend "
                        "at NumPy")
    return obj
