"""Several copies of one model programmed side by side in one call: where they sit, and one call of all of them,
each copy under its own random gauge, the reads of every copy pooled.

>>> CopyPlacement("auto").copies, CopyPlacement(3).copies
('auto', 3)
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

import dimod
import numpy as np

from ..._random import draw_seed
from ..._sampler_args import state_spins
from ..._validation import check_count
from ...sampling.temperature import effective_betas, local_excitations
from ...typing import Embedding
from ._embedding import LinearEmbedding, covers, graph_key
from .packing import pack_copies

__all__ = ["CopyPlacement"]


class CopyPlacement:
    """Every copy's embedding, the first being the sampler's own: packed once, again when the graph changes.

    Parameters
    ----------
    copies : int or "auto"
        Copies at most (``"auto"``: as many as the chip holds); 1 programs one copy per call.

    Attributes
    ----------
    embeddings : list of dict or None
        Every copy's embedding, once placed.
    """

    def __init__(self, copies: int | str) -> None:
        if isinstance(copies, str) and copies != "auto":
            raise ValueError(f"copies must be a positive integer or 'auto', got {copies!r}")
        self.copies = copies if copies == "auto" else check_count(copies, "copies")
        self.embeddings: list[Embedding] | None = None
        self._verified_graphs: set = set()
        self._union_map: LinearEmbedding | None = None   # the embedding of every copy at once, as a linear map
        self._union_key: tuple | None = None

    def for_bqm(self, bqm: dimod.BinaryQuadraticModel, embedding: Embedding, adjacency: dict,
                rng: np.random.Generator, topology: Mapping | None) -> list[Embedding]:
        """The copies' embeddings for ``bqm``'s graph (``[embedding]`` alone with ``copies=1``).

        Parameters
        ----------
        bqm : dimod.BinaryQuadraticModel
            The logical problem.
        embedding : dict
            The first copy's embedding.
        adjacency : dict
            The chip's working graph.
        rng : numpy.random.Generator
            Seeds the packing.
        topology : mapping, optional
            The chip's ``topology`` property (its translations place copies fast).

        Returns
        -------
        list of dict
        """
        if self.copies == 1:
            return [embedding]
        graph = graph_key(bqm)
        if self.embeddings is not None and graph in self._verified_graphs:
            return self.embeddings
        if self.embeddings is None or self.embeddings[0] != embedding or \
                not all(covers(copy, bqm, adjacency) for copy in self.embeddings[1:]):
            self.embeddings = pack_copies(list(bqm.quadratic), list(bqm.variables), adjacency,
                                          limit=None if self.copies == "auto" else self.copies,
                                          seed=draw_seed(rng), first=embedding, topology=topology)
            self._verified_graphs.clear()
        self._verified_graphs.add(graph)
        return self.embeddings

    def restore(self, embeddings: list[Embedding] | None) -> None:
        """Take the copies' embeddings of a checkpoint, to be checked again on their next use."""
        self.embeddings = embeddings
        self._verified_graphs.clear()

    def sample(self, bqm: dimod.BinaryQuadraticModel, copies: list[Embedding], num_reads: int, child_options: dict,
               rng: np.random.Generator, adjacency: dict, call: Callable[..., dimod.SampleSet]) -> dimod.SampleSet:
        """One call programming just enough copies of ``bqm``, each under its own random gauge, for ``num_reads``
        samples; the reads of every copy pooled, gauges undone.

        Parameters
        ----------
        bqm : dimod.BinaryQuadraticModel
            The logical problem.
        copies : list of dict
            Every copy's embedding.
        num_reads : int
            Samples wanted.
        child_options : dict
            Keyword arguments of the call (a logical ``initial_state`` starts every copy, in its gauge).
        rng : numpy.random.Generator
            Draws the gauges.
        adjacency : dict
            The chip's working graph.
        call : callable ``(bqm, embedding, reads, options, broken_out=, embed_bqm=) -> SampleSet``
            One embedded child call.

        Returns
        -------
        dimod.SampleSet
            ``info`` adds ``copies``, ``reads_per_copy`` and each copy's chain-break fraction and β_eff.
        """
        reads = -(-num_reads // len(copies))
        used = -(-num_reads // reads)
        labels = list(bqm.variables)
        n = len(labels)
        h, (rows, cols, J), _ = bqm.spin.to_numpy_vectors(labels)
        signs = np.where(rng.random((used, n)) < 0.5, -1, 1)
        shifts = (np.arange(used) * n)[:, None]
        union = dimod.BinaryQuadraticModel.from_numpy_vectors(
            (signs * h).ravel(), ((rows + shifts).ravel(), (cols + shifts).ravel(),
                                  (signs[:, rows] * signs[:, cols] * J).ravel()), 0.0, dimod.SPIN,
            variable_order=range(used * n))
        union_embedding = {c * n + i: copies[c][v] for c in range(used) for i, v in enumerate(labels)}
        options = dict(child_options)
        if options.get("initial_state") is not None:   # the same start for every copy, in its gauge
            start = state_spins(options["initial_state"], labels, bqm.vartype is dimod.SPIN)
            options["initial_state"] = dict(zip(range(used * n), (signs * start).ravel().tolist()))
        broken: list[np.ndarray] = []
        key = (id(copies), used, graph_key(bqm))
        if self._union_map is None or self._union_key != key:
            self._union_map, self._union_key = LinearEmbedding(union, union_embedding, adjacency), key
        answer = call(union, union_embedding, reads, options, broken_out=broken, embed_bqm=self._union_map.embed)
        spins = answer.record.sample[:, [answer.variables.index(k) for k in range(used * n)]]
        occurrences = answer.record.num_occurrences
        spins, broken_chains = np.repeat(spins, occurrences, axis=0), np.repeat(broken[0], occurrences, axis=0)
        by_copy = spins.reshape(-1, used, n) * signs                      # reads × copies × units, gauges undone
        flips = local_excitations(union, answer).reshape(len(occurrences), used, n)
        flips = np.repeat(flips, occurrences, axis=0).transpose(1, 0, 2)  # the flip energies are gauge-free
        samples = by_copy.transpose(1, 0, 2).reshape(-1, n)[:num_reads]
        copy_broken = broken_chains.reshape(-1, used, n).mean(axis=2)     # reads × copies
        read_broken = copy_broken.T.ravel()[:num_reads]                   # in the order of the samples
        values = samples if bqm.vartype is dimod.SPIN else (samples + 1) // 2
        info = dict(answer.info)
        info.update(copies=used, reads_per_copy=reads, chain_break_fraction=float(read_broken.mean()),
                    copy_chain_break_fraction=copy_broken.mean(axis=0).tolist(),
                    copy_beta_eff=effective_betas(flips).tolist())
        return dimod.SampleSet.from_samples_bqm((values.astype(np.int8), labels), bqm, info=info,
                                                chain_break_fraction=read_broken)
