"""Where a logical problem sits on the chip: the embedding found once and reused while it realises the problem's
graph, and Ocean's ``embed_bqm`` for one graph as the linear map it is.

>>> import dimod
>>> from dwave.system.testing import MockDWaveSampler
>>> chip = MockDWaveSampler(topology_type="pegasus", topology_shape=[3])
>>> cache = EmbeddingCache(chip.nodelist, chip.edgelist)
>>> bqm = dimod.BinaryQuadraticModel({0: 1.0, 1: 1.0}, {(0, 1): 1.0}, 0.0, "BINARY")
>>> embedding = cache.for_bqm(bqm, np.random.default_rng(0))
>>> covers(embedding, bqm, cache.adjacency), cache.searches
(True, 1)
"""
from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import dimod
import numpy as np
from dwave.embedding import embed_bqm

from ..._random import draw_seed
from ...typing import Embedding

__all__ = ["EmbeddingCache", "native_embedding", "off_chip", "covers", "graph_key", "embedded_state",
           "LinearEmbedding"]


class EmbeddingCache:
    """The current embedding of a chip's sampler, checked once per problem graph and found again when it no
    longer realises the graph.

    Parameters
    ----------
    nodelist, edgelist : sequence
        The chip's working graph.
    embedding : mapping, optional
        A first embedding (variable → chain of qubits); minorminer finds one on the first call otherwise.
    """

    def __init__(self, nodelist: Sequence, edgelist: Sequence, embedding: Mapping | None = None) -> None:
        self.nodelist, self.edges = list(nodelist), list(edgelist)
        self.adjacency = {node: set() for node in self.nodelist}
        for u, v in self.edges:
            self.adjacency[u].add(v)
            self.adjacency[v].add(u)
        if embedding is not None and not isinstance(embedding, Mapping):
            raise TypeError(f"embedding must be a mapping of variable -> chain of qubits, got {type(embedding).__name__}")
        self.embedding = None if embedding is None else {k: tuple(v) for k, v in embedding.items()}
        if self.embedding is not None and off_chip([self.embedding], self.adjacency):
            raise ValueError(f"embedding names qubits that are not on the sampler's graph: "
                             f"{off_chip([self.embedding], self.adjacency)[:10]}")
        self.searches = 0
        self._verified_graphs: set = set()

    def for_bqm(self, bqm: dimod.BinaryQuadraticModel, rng: np.random.Generator) -> Embedding:
        """The current embedding if it realises ``bqm``'s graph (checked once per graph), else a new one.

        Parameters
        ----------
        bqm : dimod.BinaryQuadraticModel
            The logical problem.
        rng : numpy.random.Generator
            Seeds minorminer when a search is needed.

        Returns
        -------
        dict of variable -> tuple of qubits
        """
        graph = graph_key(bqm)
        if graph in self._verified_graphs:
            return self.embedding
        if self.embedding is None or not covers(self.embedding, bqm, self.adjacency):
            self.embedding = self._find(bqm, rng)
            self._verified_graphs.clear()
        self._verified_graphs.add(graph)
        return self.embedding

    def restore(self, embedding: Embedding | None) -> None:
        """Take ``embedding`` (from a checkpoint) as the current one, to be checked again on its next use; one that
        names qubits this chip lacks is set aside with a warning naming them, and a new one is found."""
        if embedding is None:
            return
        missing = off_chip([embedding], self.adjacency)
        if missing:
            warnings.warn(f"the stored embedding uses qubits this chip does not have ({missing[:10]}); a new embedding "
                          "will be found on the next call", RuntimeWarning, stacklevel=3)
            embedding = None
        self.embedding = embedding
        self._verified_graphs.clear()

    def _find(self, bqm: dimod.BinaryQuadraticModel, rng: np.random.Generator) -> Embedding:
        import minorminer

        source_edges = list(bqm.quadratic)
        found = minorminer.find_embedding(source_edges, self.edges,
                                          random_seed=draw_seed(rng)) if source_edges else {}
        self.searches += 1
        used = {q for chain in found.values() for q in chain}
        isolated = [v for v in bqm.variables if v not in found]
        free = [q for q in self.nodelist if q not in used]
        if (source_edges and not found) or len(free) < len(isolated):
            raise ValueError(f"no embedding of this {bqm.num_variables}-variable, {bqm.num_interactions}-coupling "
                             f"problem was found in the sampler's graph ({len(self.nodelist)} qubits)")
        found.update({v: [q] for v, q in zip(isolated, free)})
        return {k: tuple(v) for k, v in found.items()}


def off_chip(embeddings: list[Embedding], adjacency: dict) -> list:
    """The qubits the embeddings name that are not on the chip's working graph, sorted.

    Parameters
    ----------
    embeddings : list of dict
        Embeddings.
    adjacency : dict
        The chip's working graph.

    Returns
    -------
    list
    """
    return sorted({q for embedding in embeddings for chain in embedding.values() for q in chain} - set(adjacency),
                  key=str)


def native_embedding(labels) -> Embedding:
    """Embedding of a model built on a sampler's own graph: unit ``i`` is qubit ``labels[i]``.

    Parameters
    ----------
    labels : sequence
        The qubit of each unit.

    Returns
    -------
    dict of int -> tuple

    Examples
    --------
    >>> native_embedding([30, 31])
    {0: (30,), 1: (31,)}
    """
    return {unit: (label,) for unit, label in enumerate(labels)}


def covers(embedding: Embedding, bqm: dimod.BinaryQuadraticModel, adjacency: dict) -> bool:
    """Does ``embedding`` hold every variable and realise every coupling of ``bqm``?"""
    if any(v not in embedding for v in bqm.variables):
        return False
    for u, v in bqm.quadratic:
        chain_v = set(embedding[v])
        if not any(adjacency[q] & chain_v for q in embedding[u]):
            return False
    return True


def graph_key(bqm: dimod.BinaryQuadraticModel) -> tuple:
    """What identifies a BQM's graph (its variables and couplings), whatever its biases."""
    _, (rows, cols, _), _ = bqm.to_numpy_vectors(list(bqm.variables))
    return tuple(bqm.variables), hash(rows.tobytes()), hash(cols.tobytes())


def embedded_state(state, embedding: Embedding) -> dict:
    """A logical state (mapping or pairs) as a state of the qubits: every qubit of a chain takes its variable's value."""
    state = dict(state)
    return {qubit: state[v] for v, chain in embedding.items() for qubit in chain}


class LinearEmbedding:
    """Ocean's ``embed_bqm`` for one SPIN graph and embedding, as the linear map it is.

    Embedding spreads each ``h`` over its chain's qubits and each ``J`` over the couplers
    between two chains, and adds ``chain_strength`` times a fixed chain term; the weights
    are read once from ``embed_bqm`` itself (probes with unit biases), after which
    embedding a BQM on the same graph is a gather and a product of arrays.
    """

    def __init__(self, bqm: dimod.BinaryQuadraticModel, embedding: Embedding, adjacency: dict) -> None:
        self.variables = list(bqm.variables)
        _, (self.source_rows, self.source_cols, _), _ = bqm.to_numpy_vectors(self.variables)
        ones = dimod.BinaryQuadraticModel.from_numpy_vectors(
            np.ones(len(self.variables)), (self.source_rows, self.source_cols, np.ones(len(self.source_rows))), 0.0,
            dimod.SPIN, variable_order=self.variables)
        spread = embed_bqm(ones, embedding, adjacency, chain_strength=0.0)
        ones.scale(0.0)
        chains = embed_bqm(ones, embedding, adjacency, chain_strength=1.0)
        self.qubits = list(chains.variables)
        index = {v: i for i, v in enumerate(self.variables)}
        owner = np.empty(len(self.qubits), dtype=np.int64)    # the logical variable of each qubit
        position = {q: i for i, q in enumerate(self.qubits)}
        for v, chain in embedding.items():
            owner[[position[q] for q in chain]] = index[v]
        self.h_source = owner
        self.h_weights, (rows, cols, weights), _ = spread.to_numpy_vectors(self.qubits)
        between = owner[rows] != owner[cols]
        self.rows, self.cols, self.J_weights = rows[between], cols[between], weights[between]
        edge_index = {}
        for i, (u, v) in enumerate(zip(self.source_rows.tolist(), self.source_cols.tolist())):
            edge_index[u, v] = edge_index[v, u] = i
        self.J_source = np.array([edge_index[u, v] for u, v in zip(owner[self.rows].tolist(),
                                                                    owner[self.cols].tolist())], dtype=np.int64)
        _, (self.chain_rows, self.chain_cols, self.chain_J), self.chain_offset = chains.to_numpy_vectors(self.qubits)

    def embed(self, bqm: dimod.BinaryQuadraticModel, embedding: Embedding, adjacency: dict,
              chain_strength: float) -> dimod.BinaryQuadraticModel:
        """What ``embed_bqm(bqm, embedding, adjacency, chain_strength=chain_strength)`` returns for a SPIN
        ``bqm`` with this map's variables and couplings (Ocean's own function for any other)."""
        h, (rows, cols, J), offset = bqm.to_numpy_vectors(self.variables)
        if bqm.vartype is not dimod.SPIN or not (np.array_equal(rows, self.source_rows)
                                                 and np.array_equal(cols, self.source_cols)):
            return embed_bqm(bqm, embedding, adjacency, chain_strength=chain_strength)
        return dimod.BinaryQuadraticModel.from_numpy_vectors(
            h[self.h_source] * self.h_weights,
            (np.concatenate([self.rows, self.chain_rows]), np.concatenate([self.cols, self.chain_cols]),
             np.concatenate([J[self.J_source] * self.J_weights, chain_strength * self.chain_J])),
            offset + chain_strength * self.chain_offset, dimod.SPIN, variable_order=self.qubits)
