"""Boltzmann machines on any graph: one weight per edge, sparse to thousands of units.

>>> BoltzmannMachine(3, edges=[(0, 1), (1, 2)], random_state=0).n_units
3
"""
from __future__ import annotations

from typing import Any

import dimod
import numpy as np
import scipy.sparse

from ..graphs import symmetric_matrix
from .._memory import check_allocation
from .._random import check_random_state
from .._validation import check_array, check_count, check_unit_interval
from ..typing import RandomLike
from ._arrays import GATHER_ENTRIES, INIT_SCALE, bias_or_zeros, bqm_vectors, index_dtype, right_multiply
from .base import EnergyModel

__all__ = ["GraphModel", "BoltzmannMachine"]


class GraphModel(EnergyModel, stored=False):
    """A model on any graph, one weight per edge: what :class:`BoltzmannMachine` and the quantum
    Boltzmann machine share (the quantum one adds transverse fields and is not a BoltzmannMachine).

    Parameters
    ----------
    n_visible, n_hidden, edges, weights, biases, random_state
        As for :class:`BoltzmannMachine`.

    Examples
    --------
    >>> issubclass(BoltzmannMachine, GraphModel)
    True
    """

    stores_edges = True

    parameter_names = ("weights", "biases")

    def __init__(self, n_visible: int, n_hidden: int = 0, edges="complete", *, weights=None,
                 biases=None, random_state: RandomLike = None) -> None:
        self.n_visible = check_count(n_visible, "n_visible")
        self.n_hidden = check_count(n_hidden, "n_hidden", minimum=0)
        self.edges = _check_edges(edges, self.n_units)
        if weights is None:
            rng = check_random_state(random_state)
            weights = rng.normal(0.0, INIT_SCALE, len(self.edges))
        self.weights = check_array(weights, "weights", shape=(len(self.edges),)).copy()
        self.biases = bias_or_zeros(biases, "biases", self.n_units)

    def energy(self, states) -> np.ndarray:
        """``E(s)`` for a batch of full states (visible then hidden).

        Parameters
        ----------
        states : array-like of shape (n_rows, n_units) or (n_units,)
            Full 0/1 states.

        Returns
        -------
        ndarray
            One energy per state.

        Examples
        --------
        >>> BoltzmannMachine(2, weights=[3.0], biases=[1.0, 0.0]).energy([[1, 1]])
        array([-4.])
        """
        s = self._check_states(states)
        return -(s @ self.biases + np.sum(right_multiply(s, self._upper_couplings()) * s, axis=-1))

    def local_fields(self, states) -> np.ndarray:
        """``b_i + Σ_j w_ij s_j`` for every unit: ``p(s_i = 1 | rest) = σ(β · field_i)``.

        Parameters
        ----------
        states : array-like of shape (n_rows, n_units) or (n_units,)
            Full states (values in [0, 1]).

        Returns
        -------
        ndarray, the shape of ``states``

        Examples
        --------
        >>> BoltzmannMachine(2, weights=[3.0], biases=[1.0, 0.0]).local_fields([[0, 1]])
        array([[4., 0.]])
        """
        s = check_unit_interval(states, "states", ndim=(1, 2), width=self.n_units)
        return self.biases + right_multiply(s, self.coupling_matrix())

    def coupling_matrix(self) -> scipy.sparse.csr_array:
        """Symmetric sparse ``n_units × n_units`` matrix of the weights.

        Returns
        -------
        scipy.sparse.csr_array of shape (n_units, n_units)

        Examples
        --------
        >>> BoltzmannMachine(2, weights=[3.0]).coupling_matrix().toarray()
        array([[0., 3.],
               [3., 0.]])
        """
        return symmetric_matrix(self.n_units, self.edges[:, 0], self.edges[:, 1], self.weights)

    @classmethod
    def from_bqm(cls, bqm: dimod.BinaryQuadraticModel, n_visible: int) -> "BoltzmannMachine":
        """The BM whose energy is ``bqm``'s (offset dropped); labels must be ``0..n-1``.

        Every interaction of ``bqm`` becomes an edge, even one of zero bias; edges
        come out sorted ``(i, j)`` with ``i < j``.

        Parameters
        ----------
        bqm : dimod.BinaryQuadraticModel
            A BINARY or SPIN BQM labelled ``0..n-1``.
        n_visible : int
            The first ``n_visible`` labels are visible units.

        Returns
        -------
        BoltzmannMachine

        Examples
        --------
        >>> bm = BoltzmannMachine(3, weights=[1.0, 2.0, 3.0])
        >>> BoltzmannMachine.from_bqm(bm.to_bqm(), 3).weights
        array([1., 2., 3.])
        """
        linear, rows, cols, values = bqm_vectors(bqm)
        n_visible = check_count(n_visible, "n_visible")
        if n_visible > len(linear):
            raise ValueError(f"n_visible must be at most the number of variables ({len(linear)}), got {n_visible}")
        low, high = np.minimum(rows, cols), np.maximum(rows, cols)
        order = np.lexsort((high, low))
        edges = np.stack([low[order], high[order]], axis=1)
        return cls(n_visible, len(linear) - n_visible, edges, weights=-values[order], biases=-linear)

    def _weighted_statistics(self, s: np.ndarray, w: np.ndarray) -> dict[str, np.ndarray]:
        i, j = self.edges[:, 0], self.edges[:, 1]
        if len(self.edges) > self.n_units ** 2 / 8:  # dense graph: one matrix product
            pair_means = ((s * w[:, None]).T @ s)[i, j]
        else:  # sparse graph: gather the coupled columns, a bounded number of rows at a time
            rows = max(1, GATHER_ENTRIES // max(1, len(self.edges)))
            pair_means = sum(w[k:k + rows] @ (s[k:k + rows, i] * s[k:k + rows, j])
                             for k in range(0, len(s), rows))
        return {"weights": np.asarray(pair_means, dtype=np.float64), "biases": w @ s}

    @classmethod
    def from_graph(cls, graph, hidden=(), *, random_state: RandomLike = None) -> "BoltzmannMachine":
        """A BM on a given graph — e.g. a QPU's own (``sampler.to_networkx_graph()`` or its edgelist).

        ``graph`` is a networkx graph or a list of ``(u, v)`` node pairs; nodes in
        ``hidden`` become hidden units.  Units are the visible nodes (sorted) then the
        hidden ones; ``node_labels[i]`` is unit ``i``'s node, so
        ``qbm.samplers.qpu.native_embedding(model.node_labels)`` samples it with no chains.

        Parameters
        ----------
        graph : networkx.Graph or list of pairs
            The couplings.
        hidden : iterable
            Nodes that become hidden units.
        random_state : int, numpy.random.Generator or None
            Seeds the initial weights.

        Returns
        -------
        BoltzmannMachine

        Examples
        --------
        >>> bm = BoltzmannMachine.from_graph([(10, 11), (11, 12)], hidden=[12], random_state=0)
        >>> bm.n_visible, bm.n_hidden, bm.node_labels.tolist(), bm.edges.tolist()
        (2, 1, [10, 11, 12], [[0, 1], [1, 2]])
        """
        if hasattr(graph, "edges") and hasattr(graph, "nodes"):
            nodes, pairs = list(graph.nodes), list(graph.edges)
        else:
            pairs = [tuple(pair) for pair in graph]
            nodes = list(dict.fromkeys(node for pair in pairs for node in pair))
        hidden_set = set(hidden)
        unknown = hidden_set - set(nodes)
        if unknown:
            raise ValueError(f"hidden names nodes that are not in the graph: {sorted(unknown)[:5]}")
        labels = sorted(n for n in nodes if n not in hidden_set) + sorted(hidden_set)
        index = {label: unit for unit, label in enumerate(labels)}
        edges = np.array([(index[u], index[v]) for u, v in pairs], dtype=np.int64).reshape(-1, 2)
        model = cls(len(labels) - len(hidden_set), len(hidden_set), edges, random_state=random_state)
        model.node_labels = np.asarray(labels)
        return model

    def state_arrays(self) -> dict[str, Any]:
        """Sizes, parameters, edges (and node labels) as ``save`` writes them."""
        state = {**super().state_arrays(), "edges": self.edges}
        if getattr(self, "node_labels", None) is not None:
            state["node_labels"] = self.node_labels
        return state

    def _unit_biases(self) -> np.ndarray:
        return self.biases

    def _coupling_triplets(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        index = index_dtype(self.n_units)
        return self.edges[:, 0].astype(index), self.edges[:, 1].astype(index), self.weights

    def _upper_couplings(self) -> scipy.sparse.csr_array:
        return scipy.sparse.csr_array((self.weights, (self.edges[:, 0], self.edges[:, 1])),
                                      shape=(self.n_units, self.n_units))


class BoltzmannMachine(GraphModel):
    """Boltzmann machine on any graph, one weight per edge.

    Parameters
    ----------
    n_visible : int
        Number of visible units (indices ``0..n_visible-1``).
    n_hidden : int
        Number of hidden units (the following indices); 0 for a fully visible BM.
    edges : "complete" or array of shape (m, 2)
        Unit pairs ``(i, j)`` that are coupled; each pair is stored as ``i < j``.
        Self-loops and duplicate pairs are errors.
    weights : array of shape (m,), optional
        One weight per edge, in the order of ``edges``; ``N(0, 0.01²)`` when omitted.
    biases : array of shape (n_units,), optional
        Zeros when omitted.
    random_state : int, Generator or None
        Seeds the initial weights.

    Examples
    --------
    >>> bm = BoltzmannMachine(3, 1, edges=[(0, 1), (1, 3), (2, 3)], random_state=0)
    >>> bm.energy([[1, 1, 0, 1]]).shape
    (1,)
    """

    kind = "bm"


def _check_edges(edges, n_units: int) -> np.ndarray:
    if isinstance(edges, str):
        if edges != "complete":
            raise ValueError(f"edges must be 'complete' or an array of (i, j) pairs, got {edges!r}")
        check_allocation(4 * 8.0 * n_units * (n_units - 1) / 2, f"a complete graph of {n_units} units")
        return np.stack(np.triu_indices(n_units, 1), axis=1).astype(np.int64)
    array = np.asarray(edges)
    if array.size == 0:
        return np.empty((0, 2), dtype=np.int64)
    if array.ndim != 2 or array.shape[1] != 2:
        raise ValueError(f"edges must have shape (m, 2), got {array.shape}")
    if array.dtype.kind not in "iu":
        if array.dtype.kind != "f" or not np.all(np.isfinite(array)) or np.any(array != np.round(array)):
            raise TypeError(f"edges must hold integer unit indices, got dtype {array.dtype}")
    array = array.astype(np.int64)
    if array.min() < 0 or array.max() >= n_units:
        raise ValueError(f"edges must hold unit indices in 0..{n_units - 1}, got {array.min()}..{array.max()}")
    if np.any(array[:, 0] == array[:, 1]):
        unit = array[array[:, 0] == array[:, 1]][0, 0]
        raise ValueError(f"edges must not contain self-loops, found ({unit}, {unit})")
    normalised = np.sort(array, axis=1)
    unique = np.unique(normalised, axis=0)
    if len(unique) != len(normalised):
        keys, counts = np.unique(normalised, axis=0, return_counts=True)
        pair = keys[counts > 1][0]
        raise ValueError(f"edges must not repeat a pair, found ({pair[0]}, {pair[1]}) more than once")
    return normalised
