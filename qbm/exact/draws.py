"""Exact samples of a QUBO: independent components, free units summed out, the rest enumerated or eliminated.

>>> import numpy as np
>>> exact_draws(np.diag([-50.0, 50.0]), 1.0, 3, np.random.default_rng(0)).tolist()
[[1, 0], [1, 0], [1, 0]]
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.sparse
from scipy.sparse.csgraph import connected_components
from scipy.special import logsumexp

from ..graphs import colour_classes
from .._numerics import sigmoid, softplus
from .._random import check_random_state
from ..typing import RandomLike
from .elimination import eliminated_draws
from ._bits import bit_table, states_of
from .enumeration import QuboEnumeration
from .layer_sums import LayerEnumeration
from .planner import elimination_plan


def exact_draws(Q: np.ndarray, beta: float, num_reads: int, random_state: RandomLike = None) -> np.ndarray:
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
    random_state : int, numpy.random.Generator or None
        The random stream.

    Returns
    -------
    ndarray of int8, shape (num_reads, n)

    Examples
    --------
    >>> exact_draws(np.array([[-1.0, 2.0], [0.0, -1.0]]), 1.0, 3, np.random.default_rng(0)).shape
    (3, 2)
    """
    random_state = check_random_state(random_state)
    states = np.empty((num_reads, Q.shape[0]), dtype=np.int8)
    for component in _components(Q) if Q.shape[0] else ():
        states[:, component] = _connected_draws(Q[np.ix_(component, component)], beta, num_reads, random_state)
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
    free = independent_units(Q) if sides.max() != 1 else np.zeros(0, dtype=np.int64)
    cover = len(free) >= _WORTH_SUMMING_OUT and len(free) < Q.shape[0]
    if sides.max() == 1:
        enumerated = int(min(np.sum(sides == 0), np.sum(sides == 1)))
    else:
        enumerated = Q.shape[0] - len(free) if cover else Q.shape[0]
    plan = elimination_plan(Q, enumerated)
    if plan is not None:
        return eliminated_draws(beta * Q, num_reads, rng, plan)
    if sides.max() != 1:
        if cover:
            return _cover_draws(Q, free, beta, num_reads, rng)
        enumeration = QuboEnumeration(Q, 0.0)
        indices = _draw_indices(lambda i: _scaled_block(enumeration.block(i), -beta), enumeration.num_blocks,
                                num_reads, rng)
        return states_of(indices, Q.shape[0])
    small, large = np.flatnonzero(sides == 0), np.flatnonzero(sides == 1)
    if len(small) > len(large):
        small, large = large, small
    coupling = -beta * (Q[np.ix_(small, large)] + Q[np.ix_(large, small)].T)
    small_bias, large_bias = -beta * np.diag(Q)[small], -beta * np.diag(Q)[large]
    layer = LayerEnumeration(small_bias, coupling, large_bias)
    small_states = states_of(_draw_indices(layer.block, layer.num_blocks, num_reads, rng), len(small))
    fields = small_states @ coupling + large_bias
    states = np.empty((num_reads, Q.shape[0]), dtype=np.int8)
    states[:, small] = small_states
    states[:, large] = rng.random(fields.shape) < sigmoid(fields)
    return states


_WORTH_SUMMING_OUT = 4   # independent units that make the cover enumeration worth its setup


def independent_units(Q: np.ndarray) -> np.ndarray:
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
    enumeration = QuboEnumeration(Q[np.ix_(cover, cover)], 0.0)

    def block(index: int) -> tuple[int, np.ndarray]:
        start, energies = enumeration.block(index)
        fields = bit_table(start, start + len(energies), len(cover)) @ coupling + free_bias
        return start, -beta * energies + softplus(fields).sum(axis=1)

    cover_states = states_of(_draw_indices(block, enumeration.num_blocks, num_reads, rng), len(cover))
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
