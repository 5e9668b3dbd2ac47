"""Colour classes of a graph, so that each class can be Gibbs-updated at once.

Bipartite graphs (every RBM) get their two sides; other graphs get a vectorised
parallel colouring (Luby-style rounds of independent sets), each round a few sparse
operations, no Python loop over vertices.

>>> import numpy as np
>>> colour_classes(3, np.array([0, 1]), np.array([1, 2])).tolist()  # a path is bipartite
[0, 1, 0]
"""
from __future__ import annotations

import functools

import numpy as np
import scipy.sparse
from scipy.sparse.csgraph import connected_components, dijkstra

__all__ = ["colour_classes", "symmetric_matrix"]

_CACHED_COLOURINGS = 16   # structures whose colouring is kept (a run samples one or a few)


def symmetric_matrix(n: int, rows: np.ndarray, cols: np.ndarray, values) -> scipy.sparse.csr_array:
    """The symmetric ``n × n`` sparse matrix with ``values`` at ``(rows, cols)`` and ``(cols, rows)``.

    Parameters
    ----------
    n : int
        Vertices.
    rows, cols : ndarray of int
        The ends of each edge (each edge once).
    values : ndarray or float
        One value per edge, or one for all.

    Returns
    -------
    scipy.sparse.csr_array

    Examples
    --------
    >>> symmetric_matrix(2, np.array([0]), np.array([1]), np.array([3.0])).toarray()
    array([[0., 3.],
           [3., 0.]])
    """
    values = np.broadcast_to(np.asarray(values, dtype=np.float64), (len(rows),))
    return scipy.sparse.csr_array((np.concatenate([values, values]),
                                   (np.concatenate([rows, cols]), np.concatenate([cols, rows]))), shape=(n, n))


def colour_classes(n: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """A proper colouring (``colour[i] != colour[j]`` on every edge) of ``n`` vertices.

    Returns 0/1 sides when the graph is bipartite, otherwise colours ``0..k-1`` from
    rounds of independent sets picked by fixed pseudo-random priorities, each vertex
    taking the smallest free colour (the same graph always gets the same colouring).
    The last few colourings are kept by edge list, so a sampler called at every step of a
    training run on one structure colours it once; the array returned is read-only.

    Parameters
    ----------
    n : int
        Number of vertices.
    rows, cols : ndarray of int
        The two ends of every edge.

    Returns
    -------
    ndarray of int, shape (n,)
        The colour of every vertex.

    Examples
    --------
    >>> colour_classes(3, np.array([0, 1]), np.array([1, 2])).tolist()  # a path is bipartite
    [0, 1, 0]
    """
    rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
    return _colouring(int(n), rows.tobytes(), cols.tobytes())


@functools.lru_cache(maxsize=_CACHED_COLOURINGS)
def _colouring(n: int, row_bytes: bytes, col_bytes: bytes) -> np.ndarray:
    """:func:`colour_classes` of one edge list, given as the bytes of its int64 ends (the cache's key)."""
    rows, cols = np.frombuffer(row_bytes, dtype=np.int64), np.frombuffer(col_bytes, dtype=np.int64)
    colours = _colour(n, rows, cols)
    colours.flags.writeable = False
    return colours


def _colour(n: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    if len(rows) == 0:
        return np.zeros(n, dtype=np.int64)
    adjacency = symmetric_matrix(n, rows, cols, 1.0)
    sides = _bipartite_sides(adjacency)
    if sides is not None and np.all(sides[rows] != sides[cols]):
        return sides
    return _independent_set_rounds(adjacency)


def _bipartite_sides(adjacency: scipy.sparse.csr_array) -> np.ndarray | None:
    _, component = connected_components(adjacency, directed=False)
    roots = np.unique(component, return_index=True)[1]
    distance = dijkstra(adjacency, directed=False, indices=roots, unweighted=True, min_only=True)
    return (distance.astype(np.int64) % 2) if np.all(np.isfinite(distance)) else None


def _independent_set_rounds(adjacency: scipy.sparse.csr_array) -> np.ndarray:
    """Jones–Plassmann colouring: each round, the uncoloured vertices whose priority
    beats every uncoloured neighbour (an independent set) take the smallest colour
    none of their neighbours has."""
    n = adjacency.shape[0]
    priority = np.random.default_rng(0).permutation(n).astype(np.float64) + 1.0
    colours = np.full(n, -1, dtype=np.int64)
    while np.any(colours < 0):
        uncoloured_priority = np.where(colours < 0, priority, 0.0)
        highest_neighbour = adjacency.multiply(uncoloured_priority[None, :]).max(axis=1).toarray().ravel()
        chosen = np.flatnonzero((colours < 0) & (priority > highest_neighbour))
        neighbours_of_chosen = adjacency[chosen]
        assigned = np.full(len(chosen), -1, dtype=np.int64)
        colour = 0
        while np.any(assigned < 0):
            taken = neighbours_of_chosen @ (colours == colour).astype(np.float64) > 0
            assigned[(assigned < 0) & ~taken] = colour
            colour += 1
        colours[chosen] = assigned
    return colours
