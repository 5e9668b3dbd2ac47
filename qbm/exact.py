"""Exact results by enumeration, in bounded memory, or by variable elimination on sparse graphs.

States are enumerated in blocks of ``2**20``: the last few units form a fixed table
of low bits and the leading units a block of high bits, so each block's energies are
one matrix product.  No ``2**n × n`` array is ever built for ``log_partition``.
State ``k`` has unit 0 as its most significant bit, which is also the tensor-product
order of a Hamiltonian's diagonal.  A model with more units than enumeration takes
(:data:`MAX_ENUMERATED_UNITS`), or one whose elimination is measurably cheaper, is
summed by variable elimination instead when its coupling graph's treewidth allows
(:mod:`qbm.elimination`, up to width :data:`~qbm.elimination.MAX_TREEWIDTH`).

>>> import numpy as np
>>> states, energies, probabilities = distribution([[-1.0, 2.0], [0.0, -1.0]])
>>> energies, probabilities.round(2), round(float(np.exp(log_partition([[-1.0, 2.0], [0.0, -1.0]]))), 2)
(array([ 0., -1., -1.,  0.]), array([0.13, 0.37, 0.37, 0.13]), 7.44)
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import dimod
import numpy as np
import scipy.sparse
from scipy.sparse.csgraph import connected_components
from scipy.special import logsumexp

from .convert import ising_to_qubo, qubo_matrix
from .elimination import (MAX_TREEWIDTH, EliminationOrder, eliminated_draws, eliminated_log_partition,
                          eliminated_marginals, elimination_order, quick_treewidth_bound, treewidth_lower_bound)
from .backend import Backend, get_backend
from .graphs import colour_classes
from .layer_sums import layer_expectations, layer_log_partition
from .models import RBM, BoltzmannMachine, check_model, refuse_quantum
from ._validation import check_beta, check_binary
from ._numerics import sigmoid, softplus

__all__ = [
    "log_partition",
    "distribution",
    "log_likelihood",
    "log_probabilities",
    "hamiltonian_diagonal",
    "expectations",
    "clamped_expectations",
    "exact_draws",
    "MAX_ENUMERATED_UNITS",
    "enumerated_units",
    "exactly_computable",
]

MAX_ENUMERATED_UNITS = 34
"""Largest number of units enumerated (log Z, exact log-likelihood, exact sampling)."""
_MAX_TABLE_UNITS = 24
"""Largest number of units for which a full ``2**n`` table is returned."""

_BLOCK_ENTRIES = 2 ** 20
_LOW_BITS = 14
_SUMMED_BITS = 16                 # trailing units summed per leading state by a matrix product
_LEADING_BITS = 10
_LEADING_STATES_PER_BLOCK = 2 ** _LEADING_BITS
_UNDERFLOW = 1e-200               # a factorised sum below this is summed again in log space, if it can matter
_NEGLIGIBLE = np.log(1e-16)       # rows whose bounds sum to less than this share of log Z are left out
_LARGEST_LOG = 700.0              # products of factors stay below e**700 < the largest float64
_PRODUCT_FIELDS = 350.0           # |fields| up to which softplus sums are products of 1 + e^f
_ALWAYS_ENUMERATED = 26           # up to here enumeration takes milliseconds: no elimination order is sought
_ENUMERATION_NS = 0.15            # measured cost of a state enumerated (bench_exact.py sharp)
_ELIMINATION_NS = 40.0            # and of an elimination table's entry (bench_elimination.py, 20×20 lattice)


def _bit_table(start: int, stop: int, n: int) -> np.ndarray:
    """Bits of the states ``start..stop-1`` of ``n`` units, unit 0 most significant.

    Examples
    --------
    >>> _bit_table(0, 4, 2)
    array([[0., 0.],
           [0., 1.],
           [1., 0.],
           [1., 1.]])
    """
    return _states_of(np.arange(start, stop, dtype=np.int64), n).astype(np.float64)


class _QuboEnumeration:
    """Energies ``xᵀQx + offset`` of all ``2**n`` states, block by block."""

    def __init__(self, Q: np.ndarray, offset: float) -> None:
        n = Q.shape[0]
        _check_enumerable(n, "number of variables")
        low = min(n, _LOW_BITS)
        self.n, self.high = n, n - low
        self.low_table = _bit_table(0, 2 ** low, low)
        self.high_per_block = max(1, _BLOCK_ENTRIES // 2 ** low)
        self.num_blocks = -(-(2 ** self.high) // self.high_per_block)
        self.Q_high, self.Q_cross = Q[: self.high, : self.high], Q[: self.high, self.high:]
        Q_low = Q[self.high:, self.high:]
        self.low_energies = np.sum((self.low_table @ Q_low) * self.low_table, axis=1) + offset

    def block(self, index: int) -> tuple[int, np.ndarray]:
        """``(first_state, energies)`` of block ``index``, energies flat in state order."""
        start = index * self.high_per_block
        high = _bit_table(start, min(start + self.high_per_block, 2 ** self.high), self.high)
        high_energies = np.sum((high @ self.Q_high) * high, axis=1)
        energies = (high @ self.Q_cross) @ self.low_table.T
        energies += high_energies[:, None]
        energies += self.low_energies[None, :]
        return start * len(self.low_table), energies.ravel()

    def __iter__(self) -> Iterator[tuple[int, np.ndarray]]:
        return (self.block(index) for index in range(self.num_blocks))


class _LayerEnumeration:
    """Log-weights of all states ``a`` of one layer of a bipartite model, the other summed out:

    ``log w(a) = biasᵀa + Σ_j softplus(f_j(a))``, ``f(a) = other_bias + aᵀW``.

    A block is one state of the leading units with every state of the trailing units, so
    the fields are the leading state's row plus the trailing units' table, and
    ``e^{f}`` is the product of the two rows' exponentials: each entry costs one
    multiply, one add and its share of a product, with one ``log`` per product of as many
    factors ``1 + e^{f}`` as stay finite (see :func:`_log_products`).  Fields too large for
    that (|f| > 350) take one ``exp`` per entry instead (:func:`_softplus_column_sums`).
    """

    def __init__(self, bias: np.ndarray, weights: np.ndarray, other_bias: np.ndarray) -> None:
        self.n = len(bias)
        _check_enumerable(self.n, "smaller layer of the bipartite model")
        self.bias, self.weights, self.other_bias = bias, weights, other_bias
        entries_per_state = max(1, len(other_bias))
        low = min(self.n, max(0, int(np.log2(max(1, _BLOCK_ENTRIES // entries_per_state)))))
        self.high = self.n - low
        low_states = _bit_table(0, 2 ** low, low)
        self.low_fields = np.ascontiguousarray((low_states @ weights[self.high:]).T)   # other units × low states
        self.low_field_bound = np.abs(self.low_fields).max(axis=1)
        self.low_exp = np.exp(self.low_fields) if self.low_field_bound.max(initial=0.0) <= _PRODUCT_FIELDS else None
        self.low_log_weights = low_states @ bias[self.high:]
        self.num_blocks = 2 ** self.high

    def block(self, index: int) -> tuple[int, np.ndarray]:
        """``(first_state, log_weights)`` of block ``index``."""
        leading = _bit_table(index, index + 1, self.high)[0]
        leading_fields = leading @ self.weights[:self.high] + self.other_bias
        bound = float((np.abs(leading_fields) + self.low_field_bound).max(initial=0.0))
        if self.low_exp is not None and bound <= _PRODUCT_FIELDS:
            factors = self.low_exp * np.exp(leading_fields)[:, None]
            factors += 1.0
            softplus_sums = _log_products(factors, int(_LARGEST_LOG / (bound + np.log(2.0))))
        else:
            softplus_sums = _softplus_column_sums(self.low_fields + leading_fields[:, None])
        return index * len(softplus_sums), self.low_log_weights + leading @ self.bias[:self.high] + softplus_sums


def _log_products(factors: np.ndarray, rows_per_product: int) -> np.ndarray:
    """``Σ_j log factors[j, s]`` for each column ``s``, as logs of products of ``rows_per_product`` rows."""
    sums = np.zeros(factors.shape[1])
    for first in range(0, len(factors), rows_per_product):
        sums += np.log(np.multiply.reduce(factors[first:first + rows_per_product], axis=0))
    return sums


def _softplus_column_sums(fields: np.ndarray) -> np.ndarray:
    """``Σ_j softplus(fields[j, s])`` for each column ``s``, overwriting ``fields``.

    ``softplus(f) = max(f, 0) + log(1 + e^{-|f|})`` and each ``1 + e^{-|f|}`` lies in
    (1, 2], so a product of a thousand of them is finite.
    """
    sums = np.maximum(fields, 0.0).sum(axis=0)
    factors = np.abs(fields, out=fields)
    np.negative(factors, out=factors)
    np.exp(factors, out=factors)
    factors += 1.0
    return sums + _log_products(factors, 1000)


def _qubo_log_partition(Q: np.ndarray, offset: float) -> float:
    """``log Σ_x exp(-(xᵀQx + offset))`` over all ``2**n`` states, with no term per state.

    Given the leading units ``h``, the energy of the trailing ``low`` units is
    ``E_low(x) + c(h)ᵀx`` and ``exp(-c(h)ᵀx)`` factorises over the bits; splitting
    ``x = (x₁, x₂)``, the sum over ``x`` is ``t₁(h)ᵀ W t₂(h)`` with ``W = exp(-E_low)``
    as a ``2^{|x₁|} × 2^{|x₂|}`` matrix and ``t`` the products of each half's factors.
    A block of leading states is one matrix product: about one multiply-add per state,
    at BLAS speed, in memory independent of ``n``.  Every factor is scaled to at most 1,
    so a row (a leading state) whose factorised sum underflows is known to weigh less
    than ``1e-200`` of its scale: such rows are set aside with that bound, and only those
    whose bounds could still move the total by more than ``1e-16`` of it are summed again
    in log space, heaviest first (see :func:`_resum_underflowed`).  On sharp models most
    rows underflow but almost all of them are negligible.
    """
    n = Q.shape[0]
    plan = _elimination_plan(Q, n)
    if plan is not None:
        return eliminated_log_partition(Q, offset, plan)
    low = min(_SUMMED_BITS, max(n - _LEADING_BITS, (n + 1) // 2))   # one block up to n = 26
    high, first = n - low, low // 2
    low_states = _bit_table(0, 2 ** low, low)
    log_w = -(np.sum((low_states @ Q[high:, high:]) * low_states, axis=1) + offset)
    shift = log_w.max()
    log_w -= shift
    W = np.exp(log_w).reshape(2 ** first, -1)
    coupling = Q[:high, high:] + Q[high:, :high].T
    total = -np.inf
    underflowed, bounds = [], []
    for start in range(0, 2 ** high, _LEADING_STATES_PER_BLOCK):
        leading = _bit_table(start, min(start + _LEADING_STATES_PER_BLOCK, 2 ** high), high)
        log_factors = -(leading @ coupling)               # log-factor of each trailing bit being 1
        top = np.maximum(log_factors, 0.0)
        sums = np.einsum("rb,rb->r", _product_table(log_factors[:, :first], top[:, :first]) @ W,
                         _product_table(log_factors[:, first:], top[:, first:]))
        row_scales = top.sum(axis=1) - np.sum((leading @ Q[:high, :high]) * leading, axis=1)
        fine = sums >= _UNDERFLOW
        if fine.any():
            total = np.logaddexp(total, logsumexp(np.log(sums[fine]) + row_scales[fine]))
        underflowed.append(start + np.flatnonzero(~fine))
        bounds.append(np.log(_UNDERFLOW) + row_scales[~fine])
    total = _resum_underflowed(np.concatenate(underflowed), np.concatenate(bounds), total, Q, low_states, log_w)
    return float(total + shift)


def _resum_underflowed(rows: np.ndarray, bounds: np.ndarray, total: float, Q: np.ndarray, low_states: np.ndarray,
                       log_w: np.ndarray) -> float:
    """``total`` plus the log-space sums of the underflowed leading states ``rows`` that matter.

    Each row weighs less than ``e^{bound}``; rows are summed heaviest bound first, in
    batches, until the bounds of all the rows left sum to under ``1e-16`` of the total.
    """
    order = np.argsort(-bounds, kind="stable")
    rows, bounds = rows[order], bounds[order]
    rest = np.logaddexp.accumulate(bounds[::-1])[::-1]   # rest[k]: bound on rows k, k+1, ... together
    n, low = Q.shape[0], low_states.shape[1]
    high = n - low
    coupling = Q[:high, high:] + Q[high:, :high].T
    batch = max(1, _BLOCK_ENTRIES // len(log_w))
    done = 0
    while done < len(rows) and rest[done] > total + _NEGLIGIBLE:
        leading = _states_of(rows[done:done + batch], high).astype(np.float64)
        log_terms = (-(leading @ coupling)) @ low_states.T + log_w
        leading_energies = np.sum((leading @ Q[:high, :high]) * leading, axis=1)
        total = np.logaddexp(total, logsumexp(logsumexp(log_terms, axis=1) - leading_energies))
        done += batch
    return total


def _product_table(log_factors: np.ndarray, top: np.ndarray) -> np.ndarray:
    """``exp(Σ_i x_i·log_factors[r, i] - top[r, i])`` for every bit string ``x``, unit 0 most significant."""
    off, on = np.exp(-top), np.exp(log_factors - top)
    table = np.ones((len(log_factors), 1))
    for bit in range(log_factors.shape[1]):
        table = np.stack((table * off[:, bit, None], table * on[:, bit, None]), axis=2).reshape(len(table), -1)
    return table


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
        Sum an RBM's layers on this array backend (:mod:`qbm.layer_sums`, e.g. ``"torch:cuda"``);
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
        return layer_log_partition(_device_rbm(obj, "obj"), beta, backend, MAX_ENUMERATED_UNITS)
    if isinstance(obj, RBM):
        return _rbm_log_partition(obj, beta)
    Q, offset, _ = qubo_matrix(obj)
    return _qubo_log_partition(beta * Q, beta * offset)


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
    _check_table(Q.shape[0])
    energies = _all_energies(Q, offset)
    log_weights = -beta * energies
    probabilities = np.exp(log_weights - logsumexp(log_weights))
    states = _bit_table(0, 2 ** Q.shape[0], Q.shape[0]).astype(np.int8)
    if _vartype(obj) is dimod.SPIN:
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
    v = check_binary(data, "data", ndim=2, width=model.n_visible)
    if len(v) == 0:
        raise ValueError("data must contain at least one row")
    if isinstance(model, RBM):
        scaled = _scaled_rbm(model, beta)
        return -scaled.free_energy(v) - _rbm_log_partition(scaled, 1.0)
    Q, _ = model.to_qubo(beta)
    return _log_unnormalised_marginals(Q, v, model.n_visible) - _qubo_log_partition(Q, 0.0)


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
        Sum an RBM's layers on this array backend (:mod:`qbm.layer_sums`); NumPy by default.

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
        return layer_expectations(_device_rbm(model, "model"), beta, backend, MAX_ENUMERATED_UNITS)
    if isinstance(check_model(model, quantum="qbm.quantum.expectations"), RBM):
        return _rbm_expectations(model, beta)
    Q, _ = model.to_qubo(beta)
    plan = _elimination_plan(Q, model.n_units, model.edges, enumerable=_MAX_TABLE_UNITS)
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
    _check_enumerable(n_hidden, "number of hidden units")
    Q, _ = model.to_qubo(beta)
    hidden = _bit_table(0, 2 ** n_hidden, n_hidden)
    hidden_energies = np.sum((hidden @ Q[model.n_visible:, model.n_visible:]) * hidden, axis=1)
    rows_per_chunk = max(1, _BLOCK_ENTRIES // len(hidden))
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
    _check_table(Q.shape[0])
    return _all_energies(Q, offset)


def exact_draws(Q: np.ndarray, beta: float, num_reads: int, rng: np.random.Generator) -> np.ndarray:
    """``num_reads`` independent 0/1 states drawn ∝ ``exp(-β xᵀQx)`` of a square QUBO matrix.

    Disconnected parts are independent and are enumerated separately, so a union of
    many small problems costs the sum, not the product, of their sizes; a bipartite
    part (an RBM) enumerates only its smaller side.

    Parameters
    ----------
    Q : ndarray of shape (n, n)
        A QUBO matrix (upper-triangular or square).
    beta : float
        Inverse temperature.
    num_reads : int
        Number of draws.
    rng : numpy.random.Generator
        The random stream.

    Returns
    -------
    ndarray of int8, shape (num_reads, n)

    Examples
    --------
    >>> exact_draws(np.array([[-1.0, 2.0], [0.0, -1.0]]), 1.0, 3, np.random.default_rng(0)).shape
    (3, 2)
    """
    states = np.empty((num_reads, Q.shape[0]), dtype=np.int8)
    for component in _components(Q) if Q.shape[0] else ():
        states[:, component] = _connected_draws(Q[np.ix_(component, component)], beta, num_reads, rng)
    return states


def _components(Q: np.ndarray) -> list[np.ndarray]:
    """Variable indices of each connected part of the QUBO's coupling graph."""
    count, component = connected_components(scipy.sparse.csr_array(Q != 0), directed=False)
    order = np.argsort(component, kind="stable")
    return np.split(order, np.cumsum(np.bincount(component, minlength=count))[:-1])


def _connected_draws(Q: np.ndarray, beta: float, num_reads: int, rng: np.random.Generator) -> np.ndarray:
    """Independent draws ∝ exp(-β xᵀQx) of one connected QUBO.

    A bipartite QUBO (an RBM) enumerates its smaller side with the other summed out,
    then draws the other side from its exact conditional; a sparse one too large for
    enumeration (or cheaper to eliminate) is drawn by variable elimination.
    """
    rows, cols = np.nonzero(np.triu(Q, 1))
    sides = colour_classes(Q.shape[0], rows, cols)
    free = _independent_units(Q) if sides.max() != 1 else np.zeros(0, dtype=np.int64)
    cover = len(free) >= _WORTH_SUMMING_OUT and len(free) < Q.shape[0]
    if sides.max() == 1:
        enumerated = int(min(np.sum(sides == 0), np.sum(sides == 1)))
    else:
        enumerated = Q.shape[0] - len(free) if cover else Q.shape[0]
    plan = _elimination_plan(Q, enumerated)
    if plan is not None:
        return eliminated_draws(beta * Q, num_reads, rng, plan)
    if sides.max() != 1:
        if cover:
            return _cover_draws(Q, free, beta, num_reads, rng)
        enumeration = _QuboEnumeration(Q, 0.0)
        indices = _draw_indices(lambda i: _scaled_block(enumeration.block(i), -beta), enumeration.num_blocks,
                                num_reads, rng)
        return _states_of(indices, Q.shape[0])
    small, large = np.flatnonzero(sides == 0), np.flatnonzero(sides == 1)
    if len(small) > len(large):
        small, large = large, small
    coupling = -beta * (Q[np.ix_(small, large)] + Q[np.ix_(large, small)].T)
    small_bias, large_bias = -beta * np.diag(Q)[small], -beta * np.diag(Q)[large]
    layer = _LayerEnumeration(small_bias, coupling, large_bias)
    small_states = _states_of(_draw_indices(layer.block, layer.num_blocks, num_reads, rng), len(small))
    fields = small_states @ coupling + large_bias
    states = np.empty((num_reads, Q.shape[0]), dtype=np.int8)
    states[:, small] = small_states
    states[:, large] = rng.random(fields.shape) < sigmoid(fields)
    return states


_WORTH_SUMMING_OUT = 4   # independent units that make the cover enumeration worth its setup


def _independent_units(Q: np.ndarray) -> np.ndarray:
    """A maximal set of units no two of which are coupled (greedy, fewest neighbours first)."""
    adjacent = ((Q + Q.T) != 0) & ~np.eye(Q.shape[0], dtype=bool)
    degree = adjacent.sum(axis=1)
    open_units = np.ones(Q.shape[0], dtype=bool)
    chosen = []
    while open_units.any():
        unit = int(np.flatnonzero(open_units)[np.argmin(degree[open_units])])
        chosen.append(unit)
        open_units &= ~adjacent[unit]
        open_units[unit] = False
    return np.sort(np.array(chosen, dtype=np.int64))


def _cover_draws(Q: np.ndarray, free: np.ndarray, beta: float, num_reads: int, rng: np.random.Generator) -> np.ndarray:
    """Exact draws of a QUBO whose units ``free`` are mutually uncoupled: the others (a vertex cover) are
    enumerated with the free units summed out — ``Σ_i softplus(-β a_i(x))`` — and the free units then
    drawn from their exact conditionals, independent given the cover. An RBM's smaller layer is the
    bipartite case of this; an embedded problem's chains leave a cover of about half its qubits."""
    n = Q.shape[0]
    cover = np.setdiff1d(np.arange(n), free)
    couplings = Q + Q.T - np.diag(np.diag(Q))
    coupling = -beta * couplings[np.ix_(cover, free)]
    free_bias = -beta * np.diag(Q)[free]
    enumeration = _QuboEnumeration(Q[np.ix_(cover, cover)], 0.0)

    def block(index: int) -> tuple[int, np.ndarray]:
        start, energies = enumeration.block(index)
        fields = _bit_table(start, start + len(energies), len(cover)) @ coupling + free_bias
        return start, -beta * energies + softplus(fields).sum(axis=1)

    cover_states = _states_of(_draw_indices(block, enumeration.num_blocks, num_reads, rng), len(cover))
    fields = cover_states @ coupling + free_bias
    states = np.empty((num_reads, n), dtype=np.int8)
    states[:, cover] = cover_states
    states[:, free] = rng.random(fields.shape) < sigmoid(fields)
    return states


def _scaled_block(block: tuple[int, np.ndarray], factor: float) -> tuple[int, np.ndarray]:
    start, values = block
    return start, factor * values


def _draw_indices(block: Callable[[int], tuple[int, np.ndarray]], num_blocks: int, num_reads: int,
                  rng: np.random.Generator) -> np.ndarray:
    """State indices drawn ∝ exp(log-weights): blocks by their mass, then states within them."""
    block_masses = np.array([logsumexp(block(i)[1]) for i in range(num_blocks)])
    counts = rng.multinomial(num_reads, np.exp(block_masses - logsumexp(block_masses)))
    indices = []
    for block_index in np.flatnonzero(counts):
        start, log_weights = block(int(block_index))
        probabilities = np.exp(log_weights - logsumexp(log_weights))
        indices.append(start + rng.choice(len(log_weights), size=counts[block_index],
                                          p=probabilities / probabilities.sum()))
    return np.concatenate(indices)[rng.permutation(num_reads)]


def _states_of(indices: np.ndarray, n: int) -> np.ndarray:
    return ((indices[:, None] >> np.arange(n - 1, -1, -1, dtype=np.int64)) & 1).astype(np.int8)


def _rbm_log_partition(rbm: RBM, beta: float) -> float:
    if enumerated_units(rbm) > _ALWAYS_ENUMERATED:    # else the plan is not worth building the QUBO for
        Q, offset = rbm.to_qubo(beta)
        plan = _elimination_plan(Q, enumerated_units(rbm))
        if plan is not None:
            return eliminated_log_partition(Q, offset, plan)
    layer = _smaller_layer(_scaled_rbm(rbm, beta))
    return _streamed_logsumexp(layer.block(i)[1] for i in range(layer.num_blocks))


def _smaller_layer(rbm: RBM) -> _LayerEnumeration:
    if rbm.n_visible <= rbm.n_hidden:
        return _LayerEnumeration(rbm.visible_bias, rbm.weights, rbm.hidden_bias)
    return _LayerEnumeration(rbm.hidden_bias, rbm.weights.T, rbm.visible_bias)


def _rbm_expectations(rbm: RBM, beta: float) -> dict[str, np.ndarray]:
    """Enumerate the smaller layer; the other layer contributes its exact conditional means."""
    scaled = _scaled_rbm(rbm, beta)
    layer = _smaller_layer(scaled)
    log_z = _streamed_logsumexp(layer.block(i)[1] for i in range(layer.num_blocks))
    products, small_means, large_means = 0.0, 0.0, 0.0
    for index in range(layer.num_blocks):
        start, log_weights = layer.block(index)
        small = _bit_table(start, start + len(log_weights), layer.n)
        large = sigmoid(small @ layer.weights + layer.other_bias)
        p = np.exp(log_weights - log_z)
        products = products + (small * p[:, None]).T @ large
        small_means, large_means = small_means + p @ small, large_means + p @ large
    if scaled.n_visible <= scaled.n_hidden:
        return {"weights": products, "visible_bias": small_means, "hidden_bias": large_means}
    return {"weights": products.T, "visible_bias": large_means, "hidden_bias": small_means}


def _scaled_rbm(rbm: RBM, beta: float) -> RBM:
    if beta == 1.0:
        return rbm
    return RBM(rbm.n_visible, rbm.n_hidden, weights=beta * rbm.weights,
               visible_bias=beta * rbm.visible_bias, hidden_bias=beta * rbm.hidden_bias)


def _log_unnormalised_marginals(Q: np.ndarray, v: np.ndarray, n_visible: int) -> np.ndarray:
    """``log Σ_h exp(-E(v, h))`` for each row ``v``, where ``E = sᵀQs``."""
    visible_energies = np.sum((v @ Q[:n_visible, :n_visible]) * v, axis=1)
    n_hidden = Q.shape[0] - n_visible
    if n_hidden == 0:
        return -visible_energies
    _check_enumerable(n_hidden, "number of hidden units")
    hidden_fields = v @ Q[:n_visible, n_visible:]
    Q_hidden = Q[n_visible:, n_visible:]
    rows = max(1, _BLOCK_ENTRIES // len(v))
    total = np.full(len(v), -np.inf)
    for start in range(0, 2 ** n_hidden, rows):
        h = _bit_table(start, min(start + rows, 2 ** n_hidden), n_hidden)
        energies = hidden_fields @ h.T + np.sum((h @ Q_hidden) * h, axis=1)[None, :]
        total = np.logaddexp(total, logsumexp(-energies, axis=1))
    return total - visible_energies


def _all_energies(Q: np.ndarray, offset: float) -> np.ndarray:
    return np.concatenate([energies for _, energies in _QuboEnumeration(Q, offset)])


def _streamed_logsumexp(blocks) -> float:
    total = -np.inf
    for values in blocks:
        total = np.logaddexp(total, logsumexp(values))
    return float(total)


def _vartype(obj: Any):
    if isinstance(obj, dimod.BinaryQuadraticModel):
        return obj.vartype
    if isinstance(obj, tuple):
        return dimod.SPIN
    return dimod.BINARY


def enumerated_units(model: RBM | BoltzmannMachine) -> int:
    """How many units exact likelihoods of ``model`` enumerate: an RBM's smaller layer, a BM's all.

    Exact measures work up to :data:`MAX_ENUMERATED_UNITS`.

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model.

    Returns
    -------
    int
        The smaller layer of an RBM, every unit of a BM.

    Examples
    --------
    >>> enumerated_units(RBM(784, 20)), enumerated_units(BoltzmannMachine(5, 2))
    (20, 7)
    """
    return min(model.n_visible, model.n_hidden) if isinstance(model, RBM) else model.n_units


def exactly_computable(model: RBM | BoltzmannMachine) -> bool:
    """Whether :func:`log_likelihood` of ``model`` is exact within reach: by enumeration, or by elimination.

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model.

    Returns
    -------
    bool

    Examples
    --------
    >>> import networkx as nx
    >>> lattice = BoltzmannMachine.from_graph(nx.grid_2d_graph(10, 10))   # 100 units, treewidth 10
    >>> exactly_computable(lattice), exactly_computable(RBM(784, 500))
    (True, False)
    """
    n = enumerated_units(check_model(model, quantum="qbm.quantum.log_likelihood"))
    if n <= MAX_ENUMERATED_UNITS:
        return True
    if not isinstance(model, RBM) and model.n_hidden > MAX_ENUMERATED_UNITS:
        return False
    try:
        _elimination_plan(model.to_qubo()[0], n)
    except ValueError:
        return False
    return True


def _elimination_plan(Q: np.ndarray, enumerated: int, pairs=None,
                      enumerable: int = MAX_ENUMERATED_UNITS) -> EliminationOrder | None:
    """The elimination order to use instead of enumerating ``2**enumerated`` states, or None to enumerate.

    Elimination is chosen when enumeration cannot serve (more than ``enumerable`` units)
    or when its measured cost per table entry makes it the cheaper of the two.

    Raises
    ------
    ValueError
        When neither serves, naming the treewidth.
    """
    if enumerated <= min(enumerable, _ALWAYS_ENUMERATED):
        return None
    lower, width = quick_treewidth_bound(Q, pairs), None
    if lower <= MAX_TREEWIDTH:
        plan = elimination_order(Q, pairs)
        cheaper = _ELIMINATION_NS * plan.cost < _ENUMERATION_NS * 2.0 ** enumerated
        if plan.width <= MAX_TREEWIDTH and (cheaper or enumerated > enumerable):
            return plan
        width = plan.width
    if enumerated <= enumerable:
        return None
    found = ""
    if width is not None:
        lower, found = treewidth_lower_bound(Q, pairs), f", and the best elimination order found has width {width}"
    raise ValueError(f"exact values of this model need {enumerated} units enumerated (at most {enumerable}) or an "
                     f"elimination of width at most {MAX_TREEWIDTH}: its coupling graph has treewidth at least "
                     f"{lower}{found}; use a sampling estimate such as AIS instead")


def _device_rbm(obj: Any, name: str) -> RBM:
    if not isinstance(obj, RBM):
        raise TypeError(f"backend= sums the layers of an RBM; for a {type(obj).__name__} as {name} leave the backend "
                        "at NumPy")
    return obj


def _check_enumerable(n: int, what: str) -> None:
    if n > MAX_ENUMERATED_UNITS:
        raise ValueError(f"{what} is {n}; exact enumeration is limited to {MAX_ENUMERATED_UNITS} "
                         "(2**n states); use a sampling estimate such as AIS instead")


def _check_table(n: int) -> None:
    if n > _MAX_TABLE_UNITS:
        raise ValueError(f"a full table of 2**{n} states is too large; at most {_MAX_TABLE_UNITS} "
                         "variables (use log_partition for larger models)")
