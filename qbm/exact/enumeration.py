"""Enumeration in bounded memory: blocks of ``2**20`` states whose energies are one matrix product each.

The last few units form a fixed table of low bits and the leading units a block of high bits; no
``2**n × n`` array is ever built for a log-partition.  An RBM goes to :mod:`qbm.exact.layer_sums`, which
enumerates its smaller layer alone, unless elimination is cheaper.

>>> import numpy as np
>>> round(float(qubo_log_partition(np.diag([-1.0, -1.0]), 0.0)), 4) == round(float(np.log((1 + np.e) ** 2)), 4)
True
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from scipy.special import logsumexp

from ..models import RBM
from .elimination import eliminated_log_partition
from ._bits import bit_table, states_of
from .layer_sums import layer_log_partition
from .planner import ALWAYS_ENUMERATED, check_enumerable, elimination_plan, enumerated_units


BLOCK_ENTRIES = 2 ** 20


_LOW_BITS = 14


_SUMMED_BITS = 16                 # trailing units summed per leading state by a matrix product


_LEADING_BITS = 10


_LEADING_STATES_PER_BLOCK = 2 ** _LEADING_BITS


_UNDERFLOW = 1e-200               # a factorised sum below this is summed again in log space, if it can matter


_NEGLIGIBLE = np.log(1e-16)       # rows whose bounds sum to less than this share of log Z are left out






class QuboEnumeration:
    """Energies ``xᵀQx + offset`` of all ``2**n`` states, block by block."""

    def __init__(self, Q: np.ndarray, offset: float) -> None:
        n = Q.shape[0]
        check_enumerable(n, "number of variables")
        low = min(n, _LOW_BITS)
        self.n, self.high = n, n - low
        self.low_table = bit_table(0, 2 ** low, low)
        self.high_per_block = max(1, BLOCK_ENTRIES // 2 ** low)
        self.num_blocks = -(-(2 ** self.high) // self.high_per_block)
        self.Q_high, self.Q_cross = Q[: self.high, : self.high], Q[: self.high, self.high:]
        Q_low = Q[self.high:, self.high:]
        self.low_energies = np.sum((self.low_table @ Q_low) * self.low_table, axis=1) + offset

    def block(self, index: int) -> tuple[int, np.ndarray]:
        """``(first_state, energies)`` of block ``index``, energies flat in state order."""
        start = index * self.high_per_block
        high = bit_table(start, min(start + self.high_per_block, 2 ** self.high), self.high)
        high_energies = np.sum((high @ self.Q_high) * high, axis=1)
        energies = (high @ self.Q_cross) @ self.low_table.T
        energies += high_energies[:, None]
        energies += self.low_energies[None, :]
        return start * len(self.low_table), energies.ravel()

    def __iter__(self) -> Iterator[tuple[int, np.ndarray]]:
        return (self.block(index) for index in range(self.num_blocks))


def qubo_log_partition(Q: np.ndarray, offset: float) -> float:
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
    in log space, heaviest first (see :func:`resum_underflowed`).  On sharp models most
    rows underflow but almost all of them are negligible.
    """
    n = Q.shape[0]
    plan = elimination_plan(Q, n)
    if plan is not None:
        return eliminated_log_partition(Q, offset, plan)
    low = min(_SUMMED_BITS, max(n - _LEADING_BITS, (n + 1) // 2))   # one block up to n = 26
    high, first = n - low, low // 2
    low_states = bit_table(0, 2 ** low, low)
    log_w = -(np.sum((low_states @ Q[high:, high:]) * low_states, axis=1) + offset)
    shift = log_w.max()
    log_w -= shift
    W = np.exp(log_w).reshape(2 ** first, -1)
    coupling = Q[:high, high:] + Q[high:, :high].T
    total = -np.inf
    underflowed, bounds = [], []
    for start in range(0, 2 ** high, _LEADING_STATES_PER_BLOCK):
        leading = bit_table(start, min(start + _LEADING_STATES_PER_BLOCK, 2 ** high), high)
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
    total = resum_underflowed(np.concatenate(underflowed), np.concatenate(bounds), total, Q, low_states, log_w)
    return float(total + shift)


def resum_underflowed(rows: np.ndarray, bounds: np.ndarray, total: float, Q: np.ndarray, low_states: np.ndarray,
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
    batch = max(1, BLOCK_ENTRIES // len(log_w))
    done = 0
    while done < len(rows) and rest[done] > total + _NEGLIGIBLE:
        leading = states_of(rows[done:done + batch], high).astype(np.float64)
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


def rbm_log_partition(rbm: RBM, beta: float) -> float:
    if enumerated_units(rbm) > ALWAYS_ENUMERATED:    # else the plan is not worth building the QUBO for
        Q, offset = rbm.to_qubo(beta)
        plan = elimination_plan(Q, enumerated_units(rbm))
        if plan is not None:
            return eliminated_log_partition(Q, offset, plan)
    return layer_log_partition(rbm, beta)


def log_unnormalised_marginals(Q: np.ndarray, v: np.ndarray, n_visible: int) -> np.ndarray:
    """``log Σ_h exp(-E(v, h))`` for each row ``v``, where ``E = sᵀQs``."""
    visible_energies = np.sum((v @ Q[:n_visible, :n_visible]) * v, axis=1)
    n_hidden = Q.shape[0] - n_visible
    if n_hidden == 0:
        return -visible_energies
    check_enumerable(n_hidden, "number of hidden units")
    hidden_fields = v @ Q[:n_visible, n_visible:]
    Q_hidden = Q[n_visible:, n_visible:]
    rows = max(1, BLOCK_ENTRIES // len(v))
    total = np.full(len(v), -np.inf)
    for start in range(0, 2 ** n_hidden, rows):
        h = bit_table(start, min(start + rows, 2 ** n_hidden), n_hidden)
        energies = hidden_fields @ h.T + np.sum((h @ Q_hidden) * h, axis=1)[None, :]
        total = np.logaddexp(total, logsumexp(-energies, axis=1))
    return total - visible_energies


def all_energies(Q: np.ndarray, offset: float) -> np.ndarray:
    return np.concatenate([energies for _, energies in QuboEnumeration(Q, offset)])


def streamed_logsumexp(blocks) -> float:
    total = -np.inf
    for values in blocks:
        total = np.logaddexp(total, logsumexp(values))
    return float(total)
