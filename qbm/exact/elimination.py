"""Exact log Z, marginals and samples of sparse models by variable elimination.

Eliminating the variables of a QUBO one at a time, each sum over ``x_k`` leaves a
table over ``x_k``'s neighbours that are not yet eliminated (its *scope*); the largest
scope of an order is its *width*, and the smallest width over all orders is the graph's
treewidth.  The cost is about ``Σ_k 2^{|scope_k|}``, not ``2^n``: a 20×20 lattice of
400 units has width about 20.  Everything is in log space, so sharp models stay exact.

With the elimination's tables kept, a second pass in reverse order gives the marginal
of every bucket (so every unit's mean and every edge's pair mean), and drawing each
variable from its conditional in reverse order gives independent exact samples.

>>> import numpy as np
>>> Q = np.diag([-1.0, -1.0]) + np.array([[0.0, 2.0], [0.0, 0.0]])
>>> bool(np.isclose(eliminated_log_partition(Q, 0.0), np.log(2 + 2 * np.e)))   # energies 0, -1, -1, 0
True
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import scipy.sparse
from scipy.sparse.csgraph import reverse_cuthill_mckee
from scipy.special import expit

from .._random import check_random_state
from ..typing import RandomLike

__all__ = ["MAX_TREEWIDTH", "EliminationOrder", "elimination_order", "coupling_graph", "quick_treewidth_bound",
           "treewidth_lower_bound", "eliminated_log_partition", "eliminated_marginals", "eliminated_draws"]

MAX_TREEWIDTH = 25
"""Largest elimination width handled: its tables hold ``2**25`` entries (256 MiB)."""
_STORED_BYTES = 4 * 2 ** 30
"""Most bytes of tables kept for marginals or samples (log Z keeps only the live ones)."""


@dataclass(frozen=True)
class EliminationOrder:
    """An order in which to eliminate the variables, with what each elimination costs.

    Parameters
    ----------
    order : ndarray of int
        The variables (QUBO indices) in elimination order; position ``k`` eliminates ``order[k]``.
    scopes : tuple of tuple of int
        ``scopes[k]``: the positions, all after ``k``, that the table left by eliminating
        position ``k`` depends on (sorted).
    width : int
        The largest scope: an upper bound on the graph's treewidth.
    cost : int
        ``Σ_k 2^{|scopes[k]|}``, the entries the elimination computes.

    Examples
    --------
    >>> import numpy as np
    >>> plan = elimination_order(np.diag(np.ones(3)) + np.diag(np.ones(2), 1))   # the path 0 - 1 - 2
    >>> plan.width, plan.cost, plan.stored_bytes
    (1, 5, 40)
    """

    order: np.ndarray
    scopes: tuple[tuple[int, ...], ...]
    width: int
    cost: int

    @property
    def stored_bytes(self) -> int:
        """Bytes of the tables that marginals and samples keep.

        Examples
        --------
        >>> import numpy as np
        >>> elimination_order(np.zeros((2, 2))).stored_bytes    # two uncoupled units: two 1-entry tables
        16
        """
        return 8 * self.cost


def elimination_order(Q: np.ndarray, pairs=None) -> EliminationOrder:
    """The cheapest of a few heuristic orders for the coupling graph of the QUBO ``Q``.

    The candidates are min-fill (eliminate the variable whose neighbours need the fewest
    new edges to become a clique) and the reverse Cuthill–McKee order (a band ordering,
    which keeps lattices at about their side length, where min-fill can wander past it);
    the one computing the fewer table entries wins.  Orders are remembered per graph, so
    training a model of fixed graph finds its order once.

    Parameters
    ----------
    Q : ndarray of shape (n, n)
        A QUBO matrix; its off-diagonal nonzeros are the edges.
    pairs : array-like of shape (n_pairs, 2), optional
        More edges (pairs whose joint marginal is wanted, even where ``Q`` is zero).

    Returns
    -------
    EliminationOrder

    Examples
    --------
    >>> import numpy as np
    >>> path = np.diag(np.ones(4)) + np.diag(np.ones(3), 1)
    >>> elimination_order(path).width
    1
    """
    return _order_of_graph(*_graph_key(coupling_graph(Q, pairs)))


def coupling_graph(Q: np.ndarray, pairs=None) -> np.ndarray:
    """The boolean adjacency matrix of ``Q``'s off-diagonal nonzeros, with ``pairs`` added.

    Parameters
    ----------
    Q : ndarray of shape (n, n)
        A QUBO matrix.
    pairs : array-like of shape (n_pairs, 2), optional
        More edges.

    Returns
    -------
    ndarray of bool, shape (n, n)
        Symmetric, with a false diagonal.

    Examples
    --------
    >>> coupling_graph(np.array([[1.0, 2.0], [0.0, 3.0]])).tolist()
    [[False, True], [True, False]]
    """
    coupled = (Q != 0) | (Q.T != 0)
    if pairs is not None and len(pairs):
        a, b = np.asarray(pairs, dtype=np.int64).reshape(-1, 2).T
        coupled[a, b] = coupled[b, a] = True
    np.fill_diagonal(coupled, False)
    return coupled


def quick_treewidth_bound(Q: np.ndarray, pairs=None) -> int:
    """A lower bound on the treewidth of ``Q``'s coupling graph found in linear time: ``edges / vertices``
    when that passes :data:`MAX_TREEWIDTH`, else the degeneracy (the largest ``k`` with a ``k``-core).

    Parameters
    ----------
    Q : ndarray of shape (n, n)
        A QUBO matrix.
    pairs : array-like of shape (n_pairs, 2), optional
        More edges.

    Returns
    -------
    int

    Examples
    --------
    >>> quick_treewidth_bound(np.triu(np.ones((5, 5))))   # the complete graph K5 has treewidth 4
    4
    """
    return _quick_bound_of_graph(*_graph_key(coupling_graph(Q, pairs)))


def treewidth_lower_bound(Q: np.ndarray, pairs=None) -> int:
    """The better of :func:`quick_treewidth_bound` and the minor-min-width bound (``dwave.graphs``).

    Parameters
    ----------
    Q : ndarray of shape (n, n)
        A QUBO matrix.
    pairs : array-like of shape (n_pairs, 2), optional
        More edges.

    Returns
    -------
    int

    Examples
    --------
    >>> import networkx as nx
    >>> lattice = nx.to_numpy_array(nx.grid_2d_graph(4, 4))   # treewidth 4
    >>> quick_treewidth_bound(lattice), treewidth_lower_bound(lattice)
    (2, 4)
    """
    import dwave.graphs

    quick = quick_treewidth_bound(Q, pairs)
    coupled = coupling_graph(Q, pairs)
    if np.count_nonzero(coupled) // 2 > MAX_TREEWIDTH * len(coupled):
        return quick
    return max(quick, dwave.graphs.minor_min_width(_graph_of(coupled)))


def _graph_key(coupled: np.ndarray) -> tuple[int, bytes]:
    return len(coupled), np.packbits(coupled).tobytes()


def _unpacked(n: int, packed: bytes) -> np.ndarray:
    return np.unpackbits(np.frombuffer(packed, dtype=np.uint8), count=n * n).reshape(n, n).astype(bool)


def _graph_of(coupled: np.ndarray):
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(range(len(coupled)))
    graph.add_edges_from(np.argwhere(np.triu(coupled, 1)).tolist())
    return graph


@functools.lru_cache(maxsize=32)
def _quick_bound_of_graph(n: int, packed: bytes) -> int:
    import networkx as nx

    coupled = _unpacked(n, packed)
    edges = np.count_nonzero(coupled) // 2
    if edges > MAX_TREEWIDTH * n:         # a graph of treewidth w has fewer than w·n edges
        return -(-edges // n)
    return max(nx.core_number(_graph_of(coupled)).values(), default=0)


@functools.lru_cache(maxsize=32)
def _order_of_graph(n: int, packed: bytes) -> EliminationOrder:
    coupled = _unpacked(n, packed)
    band = np.asarray(reverse_cuthill_mckee(scipy.sparse.csr_array(coupled), symmetric_mode=True), dtype=np.int64)
    neighbours = [np.flatnonzero(row) for row in coupled]
    plan = min((_scoped(order, neighbours) for order in (band, _min_fill_order(coupled))),
               key=lambda plan: (plan.cost, plan.width))
    plan.order.setflags(write=False)
    return plan


def _min_fill_order(coupled: np.ndarray) -> np.ndarray:
    """The greedy min-fill order (ties to the lower degree, then the lower index); after each
    elimination only the fill counts of the variables within two steps of it are recounted."""
    adjacent = coupled.copy()
    n = len(adjacent)
    fill = _fills(adjacent, np.arange(n))
    degree = adjacent.sum(axis=1).astype(np.float64)
    order = np.empty(n, dtype=np.int64)
    for step in range(n):
        v = int(np.argmin(fill * (n + 1) + degree))
        order[step] = v
        around = np.flatnonzero(adjacent[v])
        adjacent[np.ix_(around, around)] = True
        adjacent[around, around] = False
        adjacent[v, :] = adjacent[:, v] = False
        fill[v] = degree[v] = np.inf
        degree[around] = adjacent[around].sum(axis=1)
        touched = adjacent[around].any(axis=0)
        touched[around] = True
        fill[touched] = _fills(adjacent, np.flatnonzero(touched))
    return order


def _fills(adjacent: np.ndarray, units: np.ndarray) -> np.ndarray:
    """The edges missing among each unit's neighbours, for all ``units`` at once."""
    around = np.flatnonzero(adjacent[units].any(axis=0))
    rows = adjacent[np.ix_(units, around)].astype(np.float32)
    degree = rows.sum(axis=1)
    twice_present = np.einsum("ij,ij->i", rows @ adjacent[np.ix_(around, around)].astype(np.float32), rows)
    return ((degree * (degree - 1) - twice_present) / 2).astype(np.float64)


def _scoped(order: np.ndarray, neighbours: list[np.ndarray]) -> EliminationOrder:
    """The scopes of eliminating in ``order``, each elimination joining its scope into a clique."""
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    adjacent = [set(position[neighbours[v]].tolist()) for v in order]
    scopes = []
    for k in range(len(order)):
        scope = adjacent[k]
        for a in scope:
            adjacent[a] |= scope
            adjacent[a].discard(a)
            adjacent[a].discard(k)
        scopes.append(tuple(sorted(scope)))
    width = max((len(scope) for scope in scopes), default=0)
    return EliminationOrder(np.asarray(order, dtype=np.int64), tuple(scopes), width,
                            int(sum(2 ** len(scope) for scope in scopes)))


class _Elimination:
    """The buckets of one QUBO in one order: what eliminating each position sums over.

    Position ``k``'s log-weight is ``-x_k·(Q_kk + Σ_j c_kj x_j)`` plus the tables left by
    the earlier eliminations whose first remaining position is ``k``; summing ``x_k`` out
    leaves ``logaddexp(M₀, M₁ + f)`` over its scope, with ``M₀, M₁`` those tables at
    ``x_k = 0, 1`` and ``f = -(Q_kk + Σ_j c_kj x_j)``.
    """

    def __init__(self, Q: np.ndarray, offset: float, plan: EliminationOrder, keep: bool) -> None:
        if plan.width > MAX_TREEWIDTH:
            raise ValueError(f"the elimination order has width {plan.width}; at most {MAX_TREEWIDTH} is handled")
        if keep and plan.stored_bytes > _STORED_BYTES:
            raise ValueError(f"marginals and samples of this model keep {plan.stored_bytes / 2 ** 30:.1f} GiB of "
                             f"elimination tables; at most {_STORED_BYTES / 2 ** 30:.0f} GiB")
        order = plan.order
        Qp = Q[np.ix_(order, order)]
        self.plan, self.diagonal = plan, np.diag(Qp).copy()
        self.coupling = np.triu(Qp, 1) + np.tril(Qp, -1).T
        self.inputs: list[list[tuple[int, np.ndarray]]] = [[] for _ in order]   # (producer, table)
        self.log_z = -float(offset)
        for k, scope in enumerate(plan.scopes):
            off, on = self._bucket(k)
            message = np.logaddexp(off, on, out=off)
            if not keep:
                self.inputs[k] = []
            if scope:
                self.inputs[scope[0]].append((k, message))
            else:
                self.log_z += float(message)

    def _bucket(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """``M₀`` and ``M₁ + f``: position ``k``'s log-weights at ``x_k = 0`` and ``1``, over its scope."""
        scope = self.plan.scopes[k]
        off, on = np.zeros((2,) * len(scope)), _linear_table(-self.diagonal[k], -self.coupling[k, list(scope)])
        for producer, table in self.inputs[k]:
            shape = _broadcast_shape(self.plan.scopes[producer][1:], scope)
            np.add(off, table[0].reshape(shape), out=off)
            np.add(on, table[1].reshape(shape), out=on)
        return off, on

    def conditional(self, k: int) -> np.ndarray:
        """``p(x_k = 1 | scope)`` as a table over position ``k``'s scope."""
        off, on = self._bucket(k)
        on -= off
        return expit(on, out=on)

    def marginals(self, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each position's mean ``p(x_k = 1)``, and ``p(x_a = x_b = 1)`` for each row ``(a, b)`` of
        ``pairs`` (positions, each pair in a scope: see :func:`elimination_order`'s ``pairs``)."""
        n = len(self.plan.order)
        first, second = np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])
        wanted: list[list[tuple[int, int]]] = [[] for _ in range(n)]     # (axis in k's scope, row of pairs)
        for row, (a, b) in enumerate(zip(first.tolist(), second.tolist())):
            wanted[a].append((self.plan.scopes[a].index(b), row))
        means, pair_means = np.zeros(n), np.zeros(len(pairs))
        reaching: dict[int, np.ndarray] = {}        # the marginal of a position's scope, from its consumer
        for k in reversed(range(n)):
            scope = self.plan.scopes[k]
            scope_marginal = reaching.pop(k, np.ones(()))
            on = scope_marginal * self.conditional(k)
            means[k] = on.sum()
            for axis, row in wanted[k]:
                pair_means[row] = on.sum(axis=tuple(a for a in range(len(scope)) if a != axis))[1]
            joint = np.stack([scope_marginal - on, on])   # over (k, scope)
            for producer, _ in self.inputs[k]:
                kept = set(self.plan.scopes[producer])
                reaching[producer] = joint.sum(axis=tuple(a + 1 for a, j in enumerate(scope) if j not in kept))
        return means, pair_means

    def draws(self, num_reads: int, rng: np.random.Generator) -> np.ndarray:
        """``num_reads`` exact samples, positions as columns."""
        n = len(self.plan.order)
        x = np.zeros((num_reads, n), dtype=np.int8)
        for k in reversed(range(n)):
            scope = list(self.plan.scopes[k])
            field = -self.diagonal[k] - x[:, scope] @ self.coupling[k, scope]
            for producer, table in self.inputs[k]:
                index = tuple(x[:, list(self.plan.scopes[producer][1:])].T)
                field += table[(1, *index)] - table[(0, *index)]
            x[:, k] = rng.random(num_reads) < expit(field)
        return x


def _broadcast_shape(source: tuple[int, ...], scope: tuple[int, ...]) -> tuple[int, ...]:
    present = set(source)
    return tuple(2 if j in present else 1 for j in scope)


def _linear_table(constant: float, coefficients: np.ndarray) -> np.ndarray:
    """``constant + Σ_i c_i x_i`` for every bit string ``x``, one axis per bit (bit 0 first), by doubling."""
    table = np.empty(2 ** len(coefficients))
    table[0], size = constant, 1
    for c in coefficients[::-1]:          # each new bit is the most significant so far
        np.add(table[:size], c, out=table[size:2 * size])
        size *= 2
    return table.reshape((2,) * len(coefficients))


def eliminated_log_partition(Q: np.ndarray, offset: float, plan: EliminationOrder | None = None) -> float:
    """``log Σ_x exp(-(xᵀQx + offset))`` by variable elimination.

    Parameters
    ----------
    Q : ndarray of shape (n, n)
        A QUBO matrix (already scaled by β).
    offset : float
        Added to every energy.
    plan : EliminationOrder, optional
        The order; :func:`elimination_order` by default.

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> round(eliminated_log_partition(np.zeros((50, 50)), 0.0) / float(np.log(2)), 6)   # 2**50 states of energy 0
    50.0
    """
    Q = np.asarray(Q, dtype=np.float64)
    return _Elimination(Q, offset, _plan_for(Q, None, plan), keep=False).log_z


def eliminated_marginals(Q: np.ndarray, pairs=None, plan: EliminationOrder | None = None
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Exact ``p(x_i = 1)`` of every variable and ``p(x_i = x_j = 1)`` of given pairs under ``exp(-xᵀQx)``.

    Parameters
    ----------
    Q : ndarray of shape (n, n)
        A QUBO matrix (already scaled by β).
    pairs : array-like of shape (n_pairs, 2), optional
        The pairs ``(i, j)`` wanted; every coupled pair (``i < j``, row-major) by default.
    plan : EliminationOrder, optional
        The order; :func:`elimination_order` of ``Q`` and ``pairs`` by default (a given
        plan must have been made with the same pairs).

    Returns
    -------
    means : ndarray of shape (n,)
    pair_means : ndarray of shape (n_pairs,)

    Examples
    --------
    >>> import numpy as np
    >>> means, pair_means = eliminated_marginals(np.array([[0.0, -30.0], [0.0, 0.0]]))   # both on, almost surely
    >>> means.round(6).tolist(), pair_means.round(6).tolist()
    ([1.0, 1.0], [1.0])
    """
    Q = np.asarray(Q, dtype=np.float64)
    if pairs is None:
        pairs = np.argwhere(np.triu((Q != 0) | (Q.T != 0), 1))
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    plan = _plan_for(Q, pairs, plan)
    position = np.empty(len(plan.order), dtype=np.int64)
    position[plan.order] = np.arange(len(plan.order))
    position_means, pair_means = _Elimination(Q, 0.0, plan, keep=True).marginals(position[pairs])
    means = np.empty(Q.shape[0])
    means[plan.order] = position_means
    return means, pair_means


def eliminated_draws(Q: np.ndarray, num_reads: int, random_state: RandomLike = None,
                     plan: EliminationOrder | None = None) -> np.ndarray:
    """``num_reads`` independent exact samples of ``exp(-xᵀQx)`` (0/1, int8), by elimination and back-sampling.

    Parameters
    ----------
    Q : ndarray of shape (n, n)
        A QUBO matrix (already scaled by β).
    num_reads : int
        Number of samples.
    random_state : int, numpy.random.Generator or None
        The random stream.
    plan : EliminationOrder, optional
        The order; :func:`elimination_order` by default.

    Returns
    -------
    ndarray of int8, shape (num_reads, n)

    Examples
    --------
    >>> import numpy as np
    >>> eliminated_draws(np.diag([-50.0, 50.0]), 3, np.random.default_rng(0)).tolist()
    [[1, 0], [1, 0], [1, 0]]
    """
    Q = np.asarray(Q, dtype=np.float64)
    plan = _plan_for(Q, None, plan)
    positions = _Elimination(Q, 0.0, plan, keep=True).draws(num_reads, check_random_state(random_state))
    states = np.empty_like(positions)
    states[:, plan.order] = positions
    return states


def _plan_for(Q: np.ndarray, pairs, plan: EliminationOrder | None) -> EliminationOrder:
    """``plan`` if it was made for ``Q`` (and ``pairs``): every variable once, every coupling inside a scope; the
    order found for ``Q`` if no plan is given.  A plan of another graph would give a wrong answer, not an error."""
    if plan is None:
        return elimination_order(Q, pairs)
    if not isinstance(plan, EliminationOrder):
        raise TypeError(f"plan must be an EliminationOrder, got {type(plan).__name__}")
    n = Q.shape[0]
    if len(plan.order) != n or not np.array_equal(np.sort(plan.order), np.arange(n)):
        raise ValueError(f"plan orders {len(plan.order)} variables, not the {n} of this QUBO: it was made for another one")
    position = np.empty(n, dtype=np.int64)
    position[plan.order] = np.arange(n)
    first, second = np.nonzero(np.triu(coupling_graph(Q, pairs), 1))
    early, late = np.minimum(position[first], position[second]), np.maximum(position[first], position[second])
    covered = {(k, later) for k, scope in enumerate(plan.scopes) for later in scope}
    missing = [(int(i), int(j)) for i, j, a, b in zip(first, second, early, late) if (int(a), int(b)) not in covered]
    if missing:
        raise ValueError(f"plan was made for another coupling graph: the coupling {missing[0]} of this QUBO is in no "
                         "elimination scope")
    return plan
