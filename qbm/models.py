"""Boltzmann machine models: parameters, energies, conditionals and conversions.

Units are bits ``s_i ∈ {0, 1}``, visible units first, and

    E(s) = -( Σ_i b_i s_i + Σ_{i<j} w_ij s_i s_j ),     p(s) ∝ exp(-β E(s)).

:class:`RBM` stores a dense weight matrix between the two layers;
:class:`BoltzmannMachine` stores one weight per edge of any graph, so it scales to
sparse graphs of thousands of units.  No sampling policy lives here: models know
their energy and their exact conditionals, samplers and phases do the rest.

>>> rbm = RBM(3, 2, random_state=0)
>>> bqm = rbm.to_bqm()
>>> bqm.num_variables, bqm.num_interactions
(5, 6)
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dimod
import numpy as np
import scipy.sparse

from .convert import qubo_to_ising
from .graphs import symmetric_matrix
from ._files import atomic_savez
from .typing import RandomLike
from ._numerics import bernoulli, sigmoid, softplus
from ._memory import check_allocation
from ._validation import check_array, check_beta, check_binary, check_count, check_unit_interval
from ._random import check_random_state

__all__ = ["RBM", "BoltzmannMachine", "GraphModel", "Model", "check_model", "check_visible_rows", "load", "model_arrays",
           "model_from_arrays", "refuse_quantum"]

_FORMAT_VERSION = 1
_MODEL_TYPES: dict[str, type] = {}  # model_type name -> class, filled as the classes are defined
_INIT_SCALE = 0.01
_GATHER_ENTRIES = 2 ** 22


class _EnergyModel:
    """What :class:`RBM` and :class:`BoltzmannMachine` share."""

    parameter_names: tuple[str, ...] = ()
    n_visible: int
    n_hidden: int

    def __init_subclass__(cls, stored: bool = True, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if stored:
            _MODEL_TYPES[cls.__name__] = cls  # every model type can be read back by load

    @property
    def n_units(self) -> int:
        """Number of units, visible then hidden.

        Examples
        --------
        >>> RBM(4, 3).n_units
        7
        """
        return self.n_visible + self.n_hidden

    def parameters(self) -> dict[str, np.ndarray]:
        """The parameter arrays by name (the model's own arrays, not copies)."""
        return {name: getattr(self, name) for name in self.parameter_names}

    def sufficient_statistics(self, states, weights=None, *, check_input: bool = True) -> dict[str, np.ndarray]:
        """``⟨∂(-E)/∂θ⟩`` over rows of full states (values in [0, 1]), by parameter name.

        ``weights`` (e.g. ``num_occurrences``) weight the rows; they need not sum to one.
        Probabilities may stand in for hidden states (a Rao-Blackwellised estimate).
        ``check_input=False`` skips validation, for callers that already did it.

        Parameters
        ----------
        states : array-like of shape (n_rows, n_units)
            Full states, visible then hidden.
        weights : array-like of shape (n_rows,), optional
            Row weights; equal by default.
        check_input : bool
            Validate ``states``.

        Returns
        -------
        dict of str -> ndarray
            One array per parameter name.

        Examples
        --------
        >>> RBM(2, 1, weights=[[0.0], [0.0]]).sufficient_statistics([[1, 1, 1], [1, 0, 0]])["weights"]
        array([[0.5],
               [0.5]])
        """
        s = check_unit_interval(states, "states", ndim=2, width=self.n_units) if check_input else states
        if len(s) == 0:
            raise ValueError("states must contain at least one row")
        if weights is None:
            w = np.full(len(s), 1.0 / len(s))
        else:
            w = check_array(weights, "weights", shape=(len(s),))
            if np.any(w < 0) or w.sum() <= 0:
                raise ValueError("weights must be non-negative with a positive sum")
            w = w / w.sum()
        return self._weighted_statistics(s, w)

    def copy(self):
        """An independent copy with the same parameters.

        Returns
        -------
        RBM or BoltzmannMachine

        Examples
        --------
        >>> rbm = RBM(2, 1, random_state=0)
        >>> clone = rbm.copy(); clone.weights += 1
        >>> bool((clone.weights != rbm.weights).all())
        True
        """
        clone = object.__new__(type(self))
        clone.__dict__.update({k: (v.copy() if isinstance(v, np.ndarray) else v)
                               for k, v in self.__dict__.items()})
        return clone

    def to_ising(self, beta: float = 1.0) -> tuple[np.ndarray, np.ndarray, float]:
        """Dense Ising form ``(h, J, offset)`` of ``β E`` (``J`` strictly upper-triangular).

        Parameters
        ----------
        beta : float
            Inverse temperature folded into the biases.

        Returns
        -------
        h : ndarray of shape (n_units,)
        J : ndarray of shape (n_units, n_units)
        offset : float

        Examples
        --------
        >>> h, J, offset = RBM(1, 1, weights=[[2.0]]).to_ising()
        >>> h.tolist(), J.tolist(), offset
        ([-0.5, -0.5], [[0.0, -0.5], [0.0, 0.0]], -0.5)
        """
        Q, offset = self.to_qubo(beta)
        return qubo_to_ising(Q, offset)

    def to_qubo(self, beta: float = 1.0) -> tuple[np.ndarray, float]:
        """Dense upper-triangular QUBO ``(Q, offset)`` of ``β E``: ``Q_ii = -β b_i``, ``Q_ij = -β w_ij``.

        Parameters
        ----------
        beta : float
            Inverse temperature folded into the biases.

        Returns
        -------
        Q : ndarray of shape (n_units, n_units)
        offset : float

        Examples
        --------
        >>> RBM(1, 1, weights=[[2.0]], visible_bias=[1.0]).to_qubo()[0]
        array([[-1., -2.],
               [ 0., -0.]])
        """
        beta = check_beta(beta)
        Q = np.zeros((self.n_units, self.n_units))
        rows, cols, couplings = self._coupling_triplets()
        Q[rows, cols] = _scaled(beta, couplings)
        Q[np.diag_indices_from(Q)] = _scaled(beta, self._unit_biases())
        return Q, 0.0

    def to_bqm(self, beta: float = 1.0) -> dimod.BinaryQuadraticModel:
        """The BINARY :class:`dimod.BinaryQuadraticModel` of ``β E``, labels ``0..n_units-1``.

        A sampler drawing from ``exp(-E_bqm)`` then draws from the model at inverse
        temperature ``beta``.

        Parameters
        ----------
        beta : float
            Inverse temperature folded into the biases.

        Returns
        -------
        dimod.BinaryQuadraticModel

        Examples
        --------
        >>> bqm = RBM(2, 1, weights=[[1.0], [1.0]]).to_bqm(beta=2.0)
        >>> float(bqm.quadratic[0, 2]), len(bqm)
        (-2.0, 3)
        """
        beta = check_beta(beta)
        rows, cols, couplings = self._coupling_triplets()
        linear, quadratic = _scaled(beta, self._unit_biases()), _scaled(beta, couplings)
        return dimod.BinaryQuadraticModel.from_numpy_vectors(linear, (rows, cols, quadratic), 0.0, dimod.BINARY)

    def save(self, path: str | os.PathLike) -> None:
        """Write the model to ``path`` as ``.npz``, atomically (temporary file, then rename).

        Parameters
        ----------
        path : str or path
            The file to write.

        Examples
        --------
        >>> import tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "rbm.npz")
        >>> RBM(2, 1, random_state=0).save(path); load(path).n_units
        3
        """
        atomic_savez(Path(path), model_arrays(self))

    def state_arrays(self) -> dict[str, Any]:
        """Sizes and parameters (and a BM's edges) as :meth:`save` writes them."""
        state = {"n_visible": self.n_visible, "n_hidden": self.n_hidden}
        state.update(self.parameters())
        return state

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n_visible={self.n_visible}, n_hidden={self.n_hidden})"

    def _check_states(self, states, name: str = "states") -> np.ndarray:
        return check_binary(states, name, ndim=(1, 2), width=self.n_units)


class RBM(_EnergyModel):
    """Restricted Boltzmann machine, ``E(v, h) = -(aᵀv + bᵀh + vᵀWh)``.

    Parameters
    ----------
    n_visible, n_hidden : int
        Layer sizes.
    weights : array of shape (n_visible, n_hidden), optional
        ``W``; drawn from ``N(0, 0.01²)`` when omitted.
    visible_bias, hidden_bias : arrays, optional
        ``a`` and ``b``; zeros when omitted.
    random_state : int, Generator or None
        Seeds the initial weights.

    Examples
    --------
    >>> rbm = RBM(4, 3, random_state=0)
    >>> rbm.hidden_probabilities([[1, 0, 1, 0]]).shape
    (1, 3)
    """

    parameter_names = ("weights", "visible_bias", "hidden_bias")

    def __init__(self, n_visible: int, n_hidden: int, *, weights=None, visible_bias=None,
                 hidden_bias=None, random_state: RandomLike = None) -> None:
        self.n_visible = check_count(n_visible, "n_visible")
        self.n_hidden = check_count(n_hidden, "n_hidden")
        check_allocation(3 * 8.0 * self.n_visible * self.n_hidden, f"an RBM {self.n_visible}×{self.n_hidden}")
        if weights is None:
            rng = check_random_state(random_state)
            weights = rng.normal(0.0, _INIT_SCALE, (self.n_visible, self.n_hidden))
        self.weights = check_array(weights, "weights", shape=(self.n_visible, self.n_hidden)).copy()
        self.visible_bias = _bias_or_zeros(visible_bias, "visible_bias", self.n_visible)
        self.hidden_bias = _bias_or_zeros(hidden_bias, "hidden_bias", self.n_hidden)

    def energy(self, v, h=None) -> np.ndarray:
        """``E(v, h)`` for batches of visible and hidden states, or of full states ``[v, h]``.

        Parameters
        ----------
        v : array-like of shape (n_rows, n_visible) or (n_rows, n_units)
            Visible states, or full states when ``h`` is omitted.
        h : array-like of shape (n_rows, n_hidden), optional
            Hidden states.

        Returns
        -------
        ndarray of shape (n_rows,)

        Examples
        --------
        >>> RBM(1, 1, weights=[[2.0]]).energy([[1]], [[1]])
        array([-2.])
        """
        if h is None:
            states = self._check_states(v)
            v, h = states[..., : self.n_visible], states[..., self.n_visible:]
        else:
            v = check_binary(v, "v", ndim=(1, 2), width=self.n_visible)
            h = check_binary(h, "h", ndim=(1, 2), width=self.n_hidden)
        return -(v @ self.visible_bias + h @ self.hidden_bias + np.sum((v @ self.weights) * h, axis=-1))

    def free_energy(self, v) -> np.ndarray:
        """``F(v) = -aᵀv - Σ_j softplus(b_j + vᵀW_:j)``, so ``p(v) ∝ exp(-F(v))``.

        Parameters
        ----------
        v : array-like of shape (n_rows, n_visible)
            Visible states.

        Returns
        -------
        ndarray of shape (n_rows,)

        Examples
        --------
        >>> RBM(1, 1, weights=[[0.0]]).free_energy([[0]]).round(4)  # -log 2
        array([-0.6931])
        """
        v = check_unit_interval(v, "v", ndim=(1, 2), width=self.n_visible)
        return -(v @ self.visible_bias) - softplus(v @ self.weights + self.hidden_bias).sum(axis=-1)

    def hidden_probabilities(self, v, *, check_input: bool = True) -> np.ndarray:
        """``p(h_j = 1 | v) = σ(b_j + vᵀW_:j)``; ``check_input=False`` skips validation.

        Parameters
        ----------
        v : array-like of shape (n_rows, n_visible)
            Visible states (or probabilities).
        check_input : bool
            Validate ``v``.

        Returns
        -------
        ndarray of shape (n_rows, n_hidden)

        Examples
        --------
        >>> RBM(1, 1, weights=[[0.0]]).hidden_probabilities([[1]])
        array([[0.5]])
        """
        if check_input:
            v = check_unit_interval(v, "v", ndim=(1, 2), width=self.n_visible)
        return sigmoid(v @ self.weights + self.hidden_bias)

    def visible_probabilities(self, h, *, check_input: bool = True) -> np.ndarray:
        """``p(v_i = 1 | h) = σ(a_i + W_i:h)``; ``check_input=False`` skips validation.

        Parameters
        ----------
        h : array-like of shape (n_rows, n_hidden)
            Hidden states (or probabilities).
        check_input : bool
            Validate ``h``.

        Returns
        -------
        ndarray of shape (n_rows, n_visible)

        Examples
        --------
        >>> RBM(2, 1, weights=[[0.0], [0.0]]).visible_probabilities([[1]])
        array([[0.5, 0.5]])
        """
        if check_input:
            h = check_unit_interval(h, "h", ndim=(1, 2), width=self.n_hidden)
        return sigmoid(h @ self.weights.T + self.visible_bias)

    def sample_hidden(self, v, random_state: RandomLike = None, *, check_input: bool = True) -> np.ndarray:
        """Draw ``h ~ p(h | v)`` (one sample per row of ``v``).

        Parameters
        ----------
        v : array-like of shape (n_rows, n_visible)
            Visible states.
        random_state : int, numpy.random.Generator or None
            The random stream.
        check_input : bool
            Validate ``v``.

        Returns
        -------
        ndarray of shape (n_rows, n_hidden)
            0/1 as floats.

        Examples
        --------
        >>> RBM(2, 3, random_state=0).sample_hidden([[1, 0]], random_state=0).shape
        (1, 3)
        """
        return bernoulli(self.hidden_probabilities(v, check_input=check_input), random_state)

    def sample_visible(self, h, random_state: RandomLike = None, *, check_input: bool = True) -> np.ndarray:
        """Draw ``v ~ p(v | h)`` (one sample per row of ``h``).

        Parameters
        ----------
        h : array-like of shape (n_rows, n_hidden)
            Hidden states.
        random_state : int, numpy.random.Generator or None
            The random stream.
        check_input : bool
            Validate ``h``.

        Returns
        -------
        ndarray of shape (n_rows, n_visible)
            0/1 as floats.

        Examples
        --------
        >>> RBM(2, 3, random_state=0).sample_visible([[1, 0, 1]], random_state=0).shape
        (1, 2)
        """
        return bernoulli(self.visible_probabilities(h, check_input=check_input), random_state)

    @classmethod
    def from_bqm(cls, bqm: dimod.BinaryQuadraticModel, n_visible: int) -> "RBM":
        """The RBM whose energy is ``bqm``'s (offset dropped); labels must be ``0..n-1``.

        Variables ``0..n_visible-1`` are visible; a coupling inside a layer is an error.

        Parameters
        ----------
        bqm : dimod.BinaryQuadraticModel
            A BINARY or SPIN BQM labelled ``0..n-1``, couplings only between the two layers.
        n_visible : int
            The first ``n_visible`` labels are the visible layer.

        Returns
        -------
        RBM

        Examples
        --------
        >>> rbm = RBM(3, 2, random_state=0)
        >>> bool(np.allclose(RBM.from_bqm(rbm.to_bqm(), 3).weights, rbm.weights))
        True
        """
        linear, rows, cols, values = _bqm_vectors(bqm)
        n_visible = check_count(n_visible, "n_visible")
        n_units = len(linear)
        if not n_visible < n_units:
            raise ValueError(f"n_visible must be less than the number of variables ({n_units}), got {n_visible}")
        low, high = np.minimum(rows, cols), np.maximum(rows, cols)
        inside = (high < n_visible) | (low >= n_visible)
        if np.any(inside):
            raise ValueError(
                f"bqm is not bipartite between units 0..{n_visible - 1} and the rest: "
                f"coupling ({low[inside][0]}, {high[inside][0]}) lies inside a layer"
            )
        weights = np.zeros((n_visible, n_units - n_visible))
        weights[low, high - n_visible] = -values
        return cls(n_visible, n_units - n_visible, weights=weights,
                   visible_bias=-linear[:n_visible], hidden_bias=-linear[n_visible:])

    def _weighted_statistics(self, s: np.ndarray, w: np.ndarray) -> dict[str, np.ndarray]:
        v, h = s[:, : self.n_visible], s[:, self.n_visible:]
        return {"weights": (v * w[:, None]).T @ h, "visible_bias": w @ v, "hidden_bias": w @ h}

    def _unit_biases(self) -> np.ndarray:
        return np.concatenate([self.visible_bias, self.hidden_bias])

    def _coupling_triplets(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        index = _index_dtype(self.n_units)
        rows = np.repeat(np.arange(self.n_visible, dtype=index), self.n_hidden)
        cols = np.tile(np.arange(self.n_visible, self.n_units, dtype=index), self.n_visible)
        return rows, cols, self.weights.ravel()


class GraphModel(_EnergyModel, stored=False):
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

    parameter_names = ("weights", "biases")

    def __init__(self, n_visible: int, n_hidden: int = 0, edges="complete", *, weights=None,
                 biases=None, random_state: RandomLike = None) -> None:
        self.n_visible = check_count(n_visible, "n_visible")
        self.n_hidden = check_count(n_hidden, "n_hidden", minimum=0)
        self.edges = _check_edges(edges, self.n_units)
        if weights is None:
            rng = check_random_state(random_state)
            weights = rng.normal(0.0, _INIT_SCALE, len(self.edges))
        self.weights = check_array(weights, "weights", shape=(len(self.edges),)).copy()
        self.biases = _bias_or_zeros(biases, "biases", self.n_units)

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
        return -(s @ self.biases + np.sum(_right_multiply(s, self._upper_couplings()) * s, axis=-1))

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
        return self.biases + _right_multiply(s, self.coupling_matrix())

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
        linear, rows, cols, values = _bqm_vectors(bqm)
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
            rows = max(1, _GATHER_ENTRIES // max(1, len(self.edges)))
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
        index = _index_dtype(self.n_units)
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


Model = RBM | BoltzmannMachine
"""Either kind of model: the type every classical phase and measure accepts."""


def check_model(model, name: str = "model", *, quantum: str | None = None, accept_quantum: bool = False):
    """``model`` if it is an RBM or a BoltzmannMachine; a ``TypeError`` naming what to use otherwise.

    A quantum Boltzmann machine is not a classical one: a classical function would answer for
    its transverse fields set to zero.  It is refused, the message naming ``quantum`` (the
    function or phase of :mod:`qbm.quantum` that answers for it), unless ``accept_quantum``
    (code that only reads parameters and statistics, such as the training loop).

    Parameters
    ----------
    model : object
        What was passed.
    name : str
        The argument's name in the message.
    quantum : str, optional
        What answers for a quantum model instead.
    accept_quantum : bool
        Accept a quantum Boltzmann machine too.

    Returns
    -------
    RBM, BoltzmannMachine or QuantumBoltzmannMachine

    Examples
    --------
    >>> check_model(RBM(2, 1)).n_units
    3
    >>> check_model("rbm")
    Traceback (most recent call last):
    ...
    TypeError: model must be an RBM or a BoltzmannMachine, got str
    """
    if isinstance(model, (RBM, BoltzmannMachine)):
        return model
    if isinstance(model, _EnergyModel):   # the quantum Boltzmann machine, the one other model type
        return model if accept_quantum else refuse_quantum(model, name, quantum=quantum)
    kinds = "an RBM, a BoltzmannMachine or a QuantumBoltzmannMachine" if accept_quantum else \
        "an RBM or a BoltzmannMachine"
    raise TypeError(f"{name} must be {kinds}, got {type(model).__name__}")


def _index_dtype(n_units: int) -> type:
    """int32 unit indices where they fit: dimod builds a BQM from them twice as fast as from int64."""
    return np.int32 if n_units < 2 ** 31 else np.int64


def refuse_quantum(obj, name: str = "model", *, quantum: str | None = None):
    """``obj`` as it is, unless it is a quantum Boltzmann machine: then a ``TypeError`` naming ``quantum``.

    For classical functions that take any energy-like object (a BQM, a QUBO, a model).

    Parameters
    ----------
    obj : object
        What was passed.
    name : str
        The argument's name in the message.
    quantum : str, optional
        What answers for a quantum model instead.

    Returns
    -------
    object
        ``obj`` itself.

    Examples
    --------
    >>> refuse_quantum({(0, 0): 1.0}, "obj")
    {(0, 0): 1.0}
    """
    if isinstance(obj, _EnergyModel) and not isinstance(obj, (RBM, BoltzmannMachine)):
        instead = f"use {quantum}" if quantum else "see qbm.quantum for what answers for it"
        raise TypeError(f"{name} is a {type(obj).__name__}: this classical function would ignore its transverse "
                        f"fields and answer for Γ = 0; {instead}")
    return obj


def check_visible_rows(model: RBM | BoltzmannMachine, rows, name: str = "data") -> np.ndarray:
    """Non-empty 2-D rows of visible states for ``model``: binary, or probabilities in [0, 1]
    for an RBM (whose data side needs only ``p(h | v)``).

    Parameters
    ----------
    model : RBM or BoltzmannMachine
        The model the rows are for.
    rows : array-like of shape (n_rows, n_visible)
        The rows.
    name : str
        The argument's name in error messages.

    Returns
    -------
    ndarray of shape (n_rows, n_visible)

    Examples
    --------
    >>> check_visible_rows(RBM(2, 1), [[0.5, 1.0]]).shape
    (1, 2)
    """
    check = check_unit_interval if isinstance(model, RBM) else check_binary
    array = check(rows, name, ndim=2, width=model.n_visible)
    if len(array) == 0:
        raise ValueError(f"{name} must contain at least one row")
    return array


def load(path: str | os.PathLike) -> RBM | BoltzmannMachine:
    """Read a model written by ``model.save(path)``.

    Parameters
    ----------
    path : str or path
        A ``.npz`` file written by ``save``.

    Returns
    -------
    RBM or BoltzmannMachine

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "bm.npz")
    >>> BoltzmannMachine(3, random_state=0).save(path); type(load(path)).__name__
    'BoltzmannMachine'
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no model file at {str(path)!r}")
    kind = _file_kind(path)
    if kind != "zip":
        raise ValueError(f"{str(path)!r} is not a qbm model file: it is {kind}, where a model is the .npz archive "
                         "that model.save or qbm train writes")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
    except Exception as exc:  # a truncated or foreign file fails in many ways inside numpy/zipfile
        detail = "it holds Python objects, which qbm never loads" if "pickle" in str(exc) else str(exc)
        raise ValueError(f"{str(path)!r} is not a readable qbm model file ({detail})") from exc
    return model_from_arrays(arrays, repr(str(path)))


def _file_kind(path) -> str:
    """What a file is, from its first bytes: ``"zip"`` (an .npz archive) or a description of what else."""
    with open(path, "rb") as handle:
        head = handle.read(512)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\x93NUMPY"):
        return "a single .npy array (data, perhaps: a model file is given as MODEL, data as DATA)"
    if not head:
        return "empty"
    if head.startswith(b"\x80") or head.startswith(b"\x89PNG"):
        return "a binary file of another format"
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "a binary file of another format"
    first = text.splitlines()[0][:60] if text.strip() else ""
    return f"a text file (it begins {first!r})"


def model_arrays(model) -> dict[str, np.ndarray]:
    """The model codec: every array a file needs to rebuild ``model``, with its type and the format version.

    ``model.save`` writes these, and a training checkpoint stores the same arrays for its model.

    Parameters
    ----------
    model : RBM, BoltzmannMachine or QuantumBoltzmannMachine
        The model.

    Returns
    -------
    dict of str -> ndarray

    Examples
    --------
    >>> sorted(model_arrays(RBM(2, 1)))
    ['format_version', 'hidden_bias', 'model_type', 'n_hidden', 'n_visible', 'visible_bias', 'weights']
    """
    arrays = {name: np.asarray(value) for name, value in model.state_arrays().items()}
    arrays["model_type"] = np.array(type(model).__name__)
    arrays["format_version"] = np.array(_FORMAT_VERSION)
    return arrays


def model_from_arrays(arrays: dict, source: str = "the arrays"):
    """The model :func:`model_arrays` described, every inconsistency a ``ValueError`` naming ``source``.

    Parameters
    ----------
    arrays : dict of str -> ndarray
        What :func:`model_arrays` returned (or a file holds).
    source : str
        Where the arrays came from, for the messages.

    Returns
    -------
    RBM, BoltzmannMachine or QuantumBoltzmannMachine

    Examples
    --------
    >>> model_from_arrays(model_arrays(BoltzmannMachine(3, random_state=0))).n_units
    3
    """
    kind = str(arrays.get("model_type", ""))
    if kind not in _MODEL_TYPES:
        raise ValueError(f"{source} is not a qbm model file (no known model_type, got {kind!r})")
    version = np.asarray(arrays.get("format_version", -1))
    if version.shape != () or version.dtype.kind not in "iu" or int(version) != _FORMAT_VERSION:
        raise ValueError(f"{source} has an unsupported format_version {arrays.get('format_version')!r}; "
                         f"expected {_FORMAT_VERSION}")
    cls = _MODEL_TYPES[kind]
    graph = issubclass(cls, GraphModel)
    required = {"n_visible", "n_hidden", *cls.parameter_names} | ({"edges"} if graph else set())
    missing = sorted(required - set(arrays))
    if missing:
        raise ValueError(f"{source} is missing {', '.join(missing)} for a {kind}")
    try:
        return _model_from_arrays(cls, arrays, graph)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{source} holds a malformed {kind} ({exc})") from exc


def _model_from_arrays(cls, arrays: dict, graph: bool):
    """The model ``load`` read, built from its arrays (any inconsistency raises)."""
    sizes = tuple(_stored_count(arrays[name], name) for name in ("n_visible", "n_hidden"))
    params = {name: arrays[name] for name in cls.parameter_names}
    if graph:
        model = cls(*sizes, arrays["edges"], **params)
        if "node_labels" in arrays:
            model.node_labels = arrays["node_labels"]
        return model
    return cls(*sizes, **params)


def _scaled(beta: float, values: np.ndarray) -> np.ndarray:
    """``-β · values``, or an error if that leaves the float range (a BQM of infinite biases samples nothing)."""
    with np.errstate(over="ignore"):
        scaled = -beta * values
    if not np.all(np.isfinite(scaled)):
        raise ValueError(f"beta={beta:g} times the model's parameters (largest magnitude "
                         f"{np.abs(values).max():g}) overflows the float range")
    return scaled


def _stored_count(value: np.ndarray, name: str) -> int:
    """A stored size: a single integer (a float such as 2.7 is not truncated to 2)."""
    value = np.asarray(value)
    if value.shape != () or value.dtype.kind not in "iu":
        raise ValueError(f"{name} must be a single integer, got {value!r}")
    return int(value)


def _bias_or_zeros(value, name: str, size: int) -> np.ndarray:
    if value is None:
        return np.zeros(size)
    return check_array(value, name, shape=(size,)).copy()


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


def _bqm_vectors(bqm) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Linear biases and interactions of a BQM labelled ``0..n-1``, in BINARY form."""
    if not isinstance(bqm, dimod.BinaryQuadraticModel):
        raise TypeError(f"bqm must be a dimod.BinaryQuadraticModel, got {type(bqm).__name__}")
    n = bqm.num_variables
    if n == 0 or set(bqm.variables) != set(range(n)):
        raise ValueError(f"bqm variables must be the unit indices 0..{n - 1}, got {list(bqm.variables)[:5]}...")
    binary = bqm.change_vartype(dimod.BINARY, inplace=False) if bqm.vartype is dimod.SPIN else bqm
    linear, (rows, cols, values), _ = binary.to_numpy_vectors(range(n))
    return np.asarray(linear, dtype=np.float64), rows.astype(np.int64), cols.astype(np.int64), values


def _right_multiply(states: np.ndarray, matrix) -> np.ndarray:
    """``states @ matrix`` for a dense batch and a sparse matrix, any leading shape."""
    flat = states.reshape(-1, states.shape[-1])
    return np.asarray((matrix.T @ flat.T).T).reshape(states.shape)
