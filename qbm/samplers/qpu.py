"""A D-Wave quantum annealer as a Boltzmann sampler, through Ocean.

:class:`QPUSampler` wraps any dimod *structured* sampler — ``DWaveSampler`` on Leap,
or ``dwave.system.testing.MockDWaveSampler`` offline — and adds what Boltzmann
sampling needs on top of Ocean's own pieces:

- the minor embedding (minorminer) is found once per logical graph and reused;
- the embedded problem (``dwave.embedding.embed_bqm``) is scaled by a factor ``qbm``
  chooses and knows, and submitted with ``auto_scale=False``;
- samples are unembedded with an Ocean chain-break method, and the chain-break
  fraction is reported (with a warning past a threshold);
- the effective inverse temperature of the returned samples with respect to the
  submitted logical BQM is estimated with
  ``dwave.system.temperatures.maximum_pseudolikelihood_temperature``, and, with
  ``calibrate=True``, the scale is adjusted every ``calibrate_every`` calls so the
  samples come out at the BQM's own β = 1.

>>> import qbm
>>> from dwave.system.testing import MockDWaveSampler
>>> qpu = QPUSampler(MockDWaveSampler(topology_type="pegasus", topology_shape=[3], parameter_warnings=False))
>>> sampleset = qpu.sample(qbm.RBM(4, 2, random_state=0).to_bqm(), num_reads=10, seed=0)
>>> sorted(sampleset.variables), qpu.embedding_searches
([0, 1, 2, 3, 4, 5], 1)
"""
from __future__ import annotations

import json
import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dimod
import numpy as np
from dwave.embedding import embed_bqm, unembed_sampleset
from dwave.embedding.chain_breaks import broken_chains, majority_vote
from dwave.embedding.chain_strength import uniform_torque_compensation

from ..boundary import checked_answer
from ..temperature import beta_information, effective_beta, effective_betas, local_excitations
from .tiling import pack_copies
from .._files import atomic_write_text, unique_keys
from ..typing import RandomLike
from .._validation import check_bool, check_count, check_unit_fraction
from .._random import check_random_state, draw_seed
from .._sampler_args import state_spins

__all__ = ["QPUSampler", "QPUConfigurationError", "effective_beta", "beta_information", "save_embedding",
           "load_embedding", "native_embedding"]

Embedding = dict[Any, tuple]


class QPUConfigurationError(RuntimeError):
    """No usable Leap configuration: raised before any sampling or training work."""


class QPUSampler(dimod.ComposedSampler):
    """Boltzmann samples of a logical BQM from a structured sampler (a QPU).

    Parameters
    ----------
    child : dimod structured sampler, optional
        ``None`` opens ``dwave.system.DWaveSampler(**client_options)`` after checking
        that a Leap token is configured.
    embedding : mapping, optional
        Logical variable → chain of qubits, reused for every BQM on the same graph;
        found with minorminer on the first call otherwise.
    chain_strength : float or callable, optional
        Ising chain coupling passed to ``embed_bqm`` (a number, or ``f(bqm, embedding)``,
        e.g. from ``dwave.embedding.chain_strength``).  By default the strongest chain
        the hardware allows at the submitted scale, ``-extended_j_range[0] × scale``, so
        chains stay stiff at the hardware's temperature however small the model's
        biases are — and never weaker than Ocean's ``uniform_torque_compensation``
        (the scale grows to fit such a chain when the model's couplings are large).
    chain_break_method : callable
        An Ocean chain-break method (default ``majority_vote``).
    chain_break_warning : float
        Warn when a call's chain-break fraction exceeds this.
    calibrate : bool
        Track the effective β and rescale so the samples come out at the BQM's β = 1.
    calibrate_every : int
        β_eff is measured on every call; the scale follows the running estimate of the
        hardware's β, refreshed every this many calls.
    memory : float
        Fraction of the past estimates' information kept at each new estimate: the
        hardware's β is tracked as an information-weighted running mean, so noisy
        estimates (a near-uniform model says little about β) barely move it.
    spin_reversal_transforms : int
        Split each call's reads over this many random gauges (Ocean's
        ``SpinReversalTransformComposite``), applied to *logical* variables so every
        chain flips as one and stays ferromagnetic: per-qubit biases of the hardware
        average out.  Each gauge is one more QPU call (and programming time), except
        with ``copies``: every copy carries a gauge of its own.
    copies : int or "auto"
        Disjoint copies of the model programmed side by side in one call, each read of
        the call giving one sample per copy: ``"auto"`` places as many as the chip's
        working graph holds (:func:`~qbm.samplers.tiling.pack_copies`), an integer caps
        them, 1 programs one copy per call.  A call of ``num_reads`` uses just enough
        copies and reads per copy for ``num_reads`` samples (``ceil(num_reads /
        copies)`` reads), so the programming time, the bulk of a short call's QPU
        time, is paid once for all of them; every copy is given its own random
        spin-reversal gauge on every call, and ``info`` reports each copy's chain-break
        fraction and β_eff (``copy_chain_break_fraction``, ``copy_beta_eff``) so a bad
        region of the chip shows.
    **client_options
        With ``child=None``: passed to ``DWaveSampler`` (``solver``, ``token``,
        ``profile``, ``config_file``...).

    A logical ``initial_state`` (mapping variable → value, for reverse annealing) is
    embedded by setting every qubit of a chain to its variable's value; the other
    keyword arguments of :meth:`sample` go to the child as they are.  Every call's
    ``info`` reports ``qpu_access_time`` (µs, summed over the child calls it made,
    where the child reports timing); ``qpu_access_time`` on the sampler is the total.

    Examples
    --------
    >>> import qbm
    >>> from qbm.samplers.testing import mock_qpu
    >>> qpu = QPUSampler(mock_qpu(3), calibrate=True)
    >>> info = qpu.sample(qbm.RBM(4, 2, random_state=0).to_bqm(), num_reads=20, seed=0).info
    >>> sorted(key for key in info if key in ("beta_eff", "scale", "qpu_access_time"))
    ['beta_eff', 'qpu_access_time', 'scale']
    """

    def __init__(self, child: dimod.Sampler | None = None, *, embedding: Mapping | None = None,
                 chain_strength=None, chain_break_method=majority_vote, chain_break_warning: float = 0.1,
                 calibrate: bool = False, calibrate_every: int = 1, memory: float = 0.9,
                 spin_reversal_transforms: int = 0, copies: int | str = 1, **client_options: Any) -> None:
        if child is not None and client_options:
            raise TypeError(f"QPUSampler got {', '.join(sorted(client_options))}: options for the Leap client, which "
                            "is opened only when no child is given; pass them to the child you built instead")
        self._child = _open_qpu(client_options) if child is None else child
        if not hasattr(self.child, "edgelist") or not hasattr(self.child, "nodelist"):
            raise TypeError(f"child must be a dimod structured sampler (nodelist, edgelist), "
                            f"got {type(self.child).__name__}")
        for name in ("parameters", "properties"):
            if not isinstance(getattr(self.child, name, None), Mapping):
                raise TypeError(f"child.{name} must be a mapping, as every dimod sampler's is; "
                                f"{type(self.child).__name__} has {getattr(self.child, name, None)!r}")
        self.target_edges = list(self.child.edgelist)
        self.target_adjacency = {node: set() for node in self.child.nodelist}
        for u, v in self.target_edges:
            self.target_adjacency[u].add(v)
            self.target_adjacency[v].add(u)
        if embedding is not None and not isinstance(embedding, Mapping):
            raise TypeError(f"embedding must be a mapping of variable -> chain of qubits, got {type(embedding).__name__}")
        self.embedding = None if embedding is None else {k: tuple(v) for k, v in embedding.items()}
        if self.embedding is not None:
            off_chip = sorted({q for chain in self.embedding.values() for q in chain} - set(self.target_adjacency),
                              key=str)
            if off_chip:
                raise ValueError(f"embedding names qubits that are not on the sampler's graph: {off_chip[:10]}")
        self.chain_strength = chain_strength
        self.chain_break_method = chain_break_method
        self.chain_break_warning = chain_break_warning
        self.calibrate = check_bool(calibrate, "calibrate")
        self.calibrate_every = check_count(calibrate_every, "calibrate_every")
        self.memory = check_unit_fraction(memory, "memory")
        self.spin_reversal_transforms = check_count(spin_reversal_transforms, "spin_reversal_transforms",
                                                    minimum=0)
        if isinstance(copies, str) and copies != "auto":
            raise ValueError(f"copies must be a positive integer or 'auto', got {copies!r}")
        self.copies = copies if copies == "auto" else check_count(copies, "copies")
        self.copy_embeddings: list[Embedding] | None = None   # every copy's embedding, the first is `embedding`
        self._information = 0.0  # Fisher information behind qpu_beta
        self.embedding_searches = 0
        self._verified_graphs: set = set()
        self._verified_copy_graphs: set = set()
        self._union_map: _LinearEmbedding | None = None   # the embedding of every copy at once, as a linear map
        self._union_key: tuple | None = None
        self.calls = 0
        self.qpu_access_time = 0.0  # µs charged by the child over the sampler's lifetime
        self.qpu_beta: float | None = None  # running estimate of the hardware's β w.r.t. the programmed problem
        self.target_beta: float | None = None  # the estimate the scale follows, refreshed every calibrate_every calls
        properties = self.child.properties
        h_range = _hardware_range(properties, "h_range", (-1.0, 1.0))
        self.h_range = max(-h_range[0], h_range[1])
        j_range = _hardware_range(properties, "j_range", (-1.0, 1.0))
        self.j_extended = _hardware_range(properties, "extended_j_range", j_range)
        self.strongest_chain = -self.j_extended[0]  # Ising chain coupling at the edge of the range, per unit scale
        if chain_strength is not None and not callable(chain_strength):
            try:
                strength = float(chain_strength)
            except (TypeError, ValueError):
                raise TypeError(f"chain_strength must be a number, a callable or None, got {chain_strength!r}") from None
            if not (np.isfinite(strength) and strength > 0):
                raise ValueError(f"chain_strength must be a finite positive number, got {chain_strength!r}")

    @property
    def children(self) -> list[dimod.Sampler]:
        """The structured sampler this one embeds into: ``[child]``."""
        return [self._child]

    @property
    def parameters(self) -> dict[str, list]:
        """The child's parameters plus ``num_reads`` and ``seed``."""
        parameters = {name: list(value) for name, value in self.child.parameters.items()}
        parameters.update({"num_reads": [], "seed": []})
        return parameters

    @property
    def properties(self) -> dict:
        """``{"child_properties": ...}``, as dimod's composites report them."""
        return {"child_properties": self.child.properties}

    def sample(self, bqm: dimod.BinaryQuadraticModel, num_reads: int = 100, seed: RandomLike = None,
               **child_options: Any) -> dimod.SampleSet:
        """Embed, scale, sample, unembed; ``info`` reports ``scale``, ``beta_eff``, ``chain_break_fraction``,
        ``qpu_access_time``.

        With ``calibrate=True`` the very first call makes one extra, uncalibrated probe
        call whose samples give the first estimate of the hardware's β, so that no
        sample set returned to the caller comes from an uncalibrated scale.

        Parameters
        ----------
        bqm : dimod.BinaryQuadraticModel
            The logical problem (e.g. ``model.to_bqm()``).
        num_reads : int
            Reads in all (split over the gauges, if any).
        seed : int, numpy.random.Generator or None
            Seeds the embedding search and the gauges.
        **child_options
            Passed to the child (``annealing_time``, ``anneal_schedule``, a logical
            ``initial_state``...).

        Returns
        -------
        dimod.SampleSet
            Over ``bqm``'s variables.

        Examples
        --------
        >>> import qbm
        >>> from qbm.samplers.testing import mock_qpu
        >>> answer = QPUSampler(mock_qpu(3)).sample(qbm.RBM(4, 2, random_state=0).to_bqm(), num_reads=10, seed=0)
        >>> int(answer.record.num_occurrences.sum()), sorted(answer.variables) == list(range(6))
        (10, True)
        """
        rng = check_random_state(seed, "seed")
        num_reads = check_count(num_reads, "num_reads")
        if bqm.num_variables == 0:   # nothing to program: every read is the empty state, as every sampler answers
            return dimod.SampleSet.from_samples((np.empty((num_reads, 0), dtype=np.int8), []), bqm.vartype,
                                                energy=np.full(num_reads, bqm.offset),
                                                info={"qpu_access_time": 0.0, "chain_break_fraction": 0.0})
        embedding = self._embedding_for(bqm, rng)
        copies = self._copies_for(bqm, embedding, rng)
        charged = 0.0
        if self.calibrate and self.qpu_beta is None:
            charged += self._draw(bqm, copies, num_reads, child_options, rng).info["qpu_access_time"]
        if self.calibrate and (self.target_beta is None or self.calls % self.calibrate_every == 0):
            self.target_beta = self.qpu_beta
        sampleset = self._draw(bqm, copies, num_reads, child_options, rng)
        sampleset.info["qpu_access_time"] += charged
        return sampleset

    def _draw(self, bqm, copies: list[Embedding], num_reads: int, child_options: dict,
              rng: np.random.Generator) -> dimod.SampleSet:
        """``num_reads`` samples: one copy per call (with gauges, one call per gauge) or all copies at once."""
        if len(copies) == 1:
            if self.spin_reversal_transforms == 0:
                return self._sample_embedded(bqm, copies[0], num_reads, child_options)
            return self._sample_gauges(bqm, copies[0], num_reads, child_options, rng)
        calls = max(1, -(-self.spin_reversal_transforms // len(copies)))   # every copy is a gauge
        calls = min(calls, num_reads)
        parts = [self._sample_copies(bqm, copies, int(reads), child_options, rng)
                 for reads in np.diff(np.linspace(0, num_reads, calls + 1).round().astype(int))]
        if len(parts) == 1:
            return parts[0]
        sampleset = _merged(bqm, parts)
        sampleset.info.update(copy_chain_break_fraction=[f for p in parts for f in p.info["copy_chain_break_fraction"]],
                              copy_beta_eff=[b for p in parts for b in p.info["copy_beta_eff"]])
        return sampleset

    def _sample_copies(self, bqm: dimod.BinaryQuadraticModel, copies: list[Embedding], num_reads: int,
                       child_options: dict, rng: np.random.Generator) -> dimod.SampleSet:
        """One call programming just enough copies of ``bqm``, each under its own random gauge, for ``num_reads``
        samples; the reads of every copy pooled, gauges undone."""
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
        key = (id(copies), used, _graph_key(bqm))
        if self._union_map is None or self._union_key != key:
            self._union_map, self._union_key = _LinearEmbedding(union, union_embedding, self.target_adjacency), key
        answer = self._sample_embedded(union, union_embedding, reads, options, broken_out=broken,
                                       embed_bqm=self._union_map.embed)
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

    def _sample_gauges(self, bqm, embedding, num_reads, child_options, rng) -> dimod.SampleSet:
        """The reads split over random logical gauges, each one child call through Ocean's composite."""
        from dwave.preprocessing.composites import SpinReversalTransformComposite

        transforms = min(self.spin_reversal_transforms, num_reads)
        gauges = rng.random((transforms, bqm.num_variables)) < 0.5
        composite = SpinReversalTransformComposite(_EmbeddedCall(
            self, lambda logical, reads, options: self._sample_embedded(logical, embedding, reads, options)))
        parts = []
        for gauge, reads in zip(gauges, np.diff(np.linspace(0, num_reads, transforms + 1).round().astype(int))):
            options = dict(child_options)
            if options.get("initial_state") is not None:  # the composite flips the problem, not the start
                options["initial_state"] = _flipped(options["initial_state"], bqm, gauge)
            parts.append(composite.sample(bqm, srts=gauge[None, :], num_reads=int(reads), **options))
        sampleset = _merged(bqm, parts)
        sampleset.info.update(spin_reversal_transforms=transforms)
        return sampleset

    def _sample_embedded(self, bqm: dimod.BinaryQuadraticModel, embedding: Embedding, num_reads: int,
                         child_options: dict, broken_out: list | None = None,
                         embed_bqm=None) -> dimod.SampleSet:
        """One child call at the current scale; measures β_eff (and, calibrating, tracks the hardware's β).

        ``broken_out``, if given, receives the reads × variables matrix of broken chains; ``embed_bqm``
        replaces Ocean's function of that name (same signature)."""
        embed_bqm = globals()["embed_bqm"] if embed_bqm is None else embed_bqm
        if self.chain_strength is None:
            # chains as stiff as the range allows, and never weaker than Ocean's torque-compensation heuristic:
            # the logical problem alone sets the scale, the chain follows it
            chain_free = embed_bqm(bqm, embedding, self.target_adjacency, chain_strength=0.0)
            needed_chain = uniform_torque_compensation(bqm, embedding)
            minimum_scale = max(self._minimum_scale(chain_free), needed_chain / self.strongest_chain)
        else:
            chain_strength = self._chain_strength(bqm, embedding)
            embedded = embed_bqm(bqm, embedding, self.target_adjacency, chain_strength=chain_strength)
            minimum_scale = self._minimum_scale(embedded)
        scale = minimum_scale
        if self.calibrate and self.target_beta is not None:
            scale = max(minimum_scale, self.target_beta)
            if minimum_scale > self.target_beta:
                warnings.warn(f"the model needs a scale of {minimum_scale:.3g} to fit the hardware's ranges but the "
                              f"hardware's β is about {self.target_beta:.3g}: samples come out at β ≈ "
                              f"{self.target_beta / minimum_scale:.2f} of the model's", RuntimeWarning, stacklevel=3)
        if self.chain_strength is None:
            chain_strength = self.strongest_chain * scale
            embedded = embed_bqm(bqm, embedding, self.target_adjacency, chain_strength=chain_strength)
        embedded.scale(1.0 / scale)
        options = dict(child_options)
        if "auto_scale" in self.child.parameters:
            options["auto_scale"] = False
        if options.get("initial_state") is not None:
            options["initial_state"] = _embedded_state(options["initial_state"], embedding)
        options["num_reads"] = num_reads
        target = checked_answer(self.child.sample(embedded, **options), embedded)
        charged = float(target.info.get("timing", {}).get("qpu_access_time", 0.0))
        self.qpu_access_time += charged
        sampleset = unembed_sampleset(target, embedding, bqm, chain_break_method=self.chain_break_method,
                                      chain_break_fraction=True)
        if broken_out is not None:
            columns = {q: i for i, q in enumerate(target.variables)}
            broken_out.append(broken_chains(target.record.sample,
                                            [[columns[q] for q in embedding[v]] for v in bqm.variables]))
        self.calls += 1
        broken = float(np.average(sampleset.record.chain_break_fraction, weights=sampleset.record.num_occurrences))
        if broken > self.chain_break_warning:
            warnings.warn(f"{broken:.0%} of chains broke in this call (threshold {self.chain_break_warning:.0%}); "
                          "consider a larger chain_strength", RuntimeWarning, stacklevel=3)
        beta_eff = effective_beta(bqm, sampleset)
        if self.calibrate and np.isfinite(beta_eff) and beta_eff > 0:
            self._track_hardware_beta(beta_eff * scale, beta_information(bqm, sampleset, beta_eff) / scale ** 2)
        sampleset.info.update({"scale": scale, "minimum_scale": minimum_scale, "beta_eff": beta_eff,
                               "chain_strength": float(chain_strength), "chain_break_fraction": broken,
                               "qpu_access_time": charged})
        return sampleset

    def state_dict(self) -> dict[str, np.ndarray]:
        """What a training checkpoint keeps: the calibration, the counters and the embedding (integer labels).

        Examples
        --------
        >>> import qbm
        >>> from qbm.samplers.testing import mock_qpu
        >>> sampler = QPUSampler(mock_qpu(3))
        >>> _ = sampler.sample(qbm.RBM(3, 2, random_state=0).to_bqm(), num_reads=5, seed=0)
        >>> again = QPUSampler(mock_qpu(3)); again.load_state_dict(sampler.state_dict())
        >>> again.qpu_beta == sampler.qpu_beta, again.embedding == sampler.embedding
        (True, True)
        """
        state = {"calls": np.array(self.calls), "qpu_access_time": np.array(self.qpu_access_time),
                 "embedding_searches": np.array(self.embedding_searches), "information": np.array(self._information),
                 "qpu_beta": np.array(np.nan if self.qpu_beta is None else self.qpu_beta),
                 "target_beta": np.array(np.nan if self.target_beta is None else self.target_beta)}
        if self.embedding is not None:
            labels = list(self.embedding)
            state.update(embedding_labels=np.array(labels),
                         embedding_lengths=np.array([len(self.embedding[label]) for label in labels]),
                         embedding_qubits=np.array([q for label in labels for q in self.embedding[label]]))
            if self.copy_embeddings is not None:   # every copy's chains, labels in the first copy's order
                state.update(copy_lengths=np.array([[len(copy[label]) for label in labels]
                                                    for copy in self.copy_embeddings]),
                             copy_qubits=np.array([q for copy in self.copy_embeddings for label in labels
                                                   for q in copy[label]]))
        return state

    def load_state_dict(self, state: dict) -> None:
        """Restore what :meth:`state_dict` returned."""
        self.calls, self.embedding_searches = int(state["calls"]), int(state["embedding_searches"])
        self.qpu_access_time, self._information = float(state["qpu_access_time"]), float(state["information"])
        self.qpu_beta, self.target_beta = (None if np.isnan(state[name]) else float(state[name])
                                           for name in ("qpu_beta", "target_beta"))
        if "embedding_labels" in state:
            qubits = np.split(np.asarray(state["embedding_qubits"]), np.cumsum(state["embedding_lengths"])[:-1])
            self.embedding = {label.item(): tuple(chain.tolist())
                              for label, chain in zip(np.asarray(state["embedding_labels"]), qubits)}
            self._verified_graphs.clear()
        self.copy_embeddings = None
        self._verified_copy_graphs.clear()
        if "copy_lengths" in state:
            labels = list(self.embedding)
            lengths = np.asarray(state["copy_lengths"])
            chains = np.split(np.asarray(state["copy_qubits"]), np.cumsum(lengths.ravel())[:-1])
            self.copy_embeddings = [{label: tuple(chain.tolist()) for label, chain in
                                     zip(labels, chains[c * len(labels):(c + 1) * len(labels)])}
                                    for c in range(len(lengths))]

    def _track_hardware_beta(self, measured: float, information: float) -> None:
        """Fold one estimate of the hardware's β into the information-weighted running mean."""
        self._information = self.memory * self._information + information
        if self.qpu_beta is None or self._information <= 0:
            self.qpu_beta = measured
        else:
            self.qpu_beta += information / self._information * (measured - self.qpu_beta)

    def _minimum_scale(self, embedded: dimod.BinaryQuadraticModel) -> float:
        """Smallest divisor that brings the embedded problem's Ising h and J into the hardware's ranges
        (negative couplings, such as chains, may use the extended J range)."""
        h, (_, _, J), _ = embedded.spin.to_numpy_vectors()
        low, high = self.j_extended
        needed = [np.abs(h).max(initial=0.0) / self.h_range,
                  np.clip(J, 0, None).max(initial=0.0) / high,
                  np.clip(-J, 0, None).max(initial=0.0) / -low]
        return max(max(needed), 1e-12)

    def _embedding_for(self, bqm: dimod.BinaryQuadraticModel, rng: np.random.Generator) -> Embedding:
        """The current embedding if it realises ``bqm``'s graph (checked once per graph), else a new one."""
        graph = _graph_key(bqm)
        if graph in self._verified_graphs:
            return self.embedding
        if self.embedding is None or not _covers(self.embedding, bqm, self.target_adjacency):
            self.embedding = self._find_embedding(bqm, rng)
            self._verified_graphs.clear()
        self._verified_graphs.add(graph)
        return self.embedding

    def _copies_for(self, bqm: dimod.BinaryQuadraticModel, embedding: Embedding,
                    rng: np.random.Generator) -> list[Embedding]:
        """Every copy's embedding, the first being ``embedding``: packed once, again when the graph changes."""
        if self.copies == 1:
            return [embedding]
        graph = _graph_key(bqm)
        if self.copy_embeddings is not None and graph in self._verified_copy_graphs:
            return self.copy_embeddings
        if self.copy_embeddings is None or self.copy_embeddings[0] != embedding or \
                not all(_covers(copy, bqm, self.target_adjacency) for copy in self.copy_embeddings[1:]):
            self.copy_embeddings = pack_copies(list(bqm.quadratic), list(bqm.variables), self.target_adjacency,
                                               limit=None if self.copies == "auto" else self.copies,
                                               seed=draw_seed(rng), first=embedding,
                                               topology=self.child.properties.get("topology"))
            self._verified_copy_graphs.clear()
        self._verified_copy_graphs.add(graph)
        return self.copy_embeddings

    def _find_embedding(self, bqm: dimod.BinaryQuadraticModel, rng: np.random.Generator) -> Embedding:
        import minorminer

        source_edges = list(bqm.quadratic)
        found = minorminer.find_embedding(source_edges, self.target_edges,
                                          random_seed=draw_seed(rng)) if source_edges else {}
        self.embedding_searches += 1
        used = {q for chain in found.values() for q in chain}
        isolated = [v for v in bqm.variables if v not in found]
        free = [q for q in self.child.nodelist if q not in used]
        if (source_edges and not found) or len(free) < len(isolated):
            raise ValueError(f"no embedding of this {bqm.num_variables}-variable, {bqm.num_interactions}-coupling "
                             f"problem was found in the sampler's graph ({len(self.child.nodelist)} qubits)")
        found.update({v: [q] for v, q in zip(isolated, free)})
        return {k: tuple(v) for k, v in found.items()}

    def _chain_strength(self, bqm, embedding):
        if callable(self.chain_strength):
            return self.chain_strength(bqm, embedding)
        return float(self.chain_strength)


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


def save_embedding(embedding: Mapping, path: str | os.PathLike) -> None:
    """Write an embedding as JSON (atomically), to reuse it with the model it was found for.

    Parameters
    ----------
    embedding : mapping
        Unit → chain of qubits.
    path : str or path
        Where to write.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "embedding.json"
    >>> save_embedding({0: (30, 31)}, path)
    >>> load_embedding(path)
    {0: (30, 31)}
    """
    pairs = [[_json_label(label), [int(q) for q in chain]] for label, chain in embedding.items()]
    atomic_write_text(path, json.dumps({"embedding": pairs}))


def load_embedding(path: str | os.PathLike) -> Embedding:
    """Read an embedding written by :func:`save_embedding`, labels as they were (int, str or tuple).

    Parameters
    ----------
    path : str or path
        A file written by :func:`save_embedding`.

    Returns
    -------
    dict of label -> tuple

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "embedding.json"
    >>> save_embedding({0: (7,), "a": (8, 9), (1, 2): (10,)}, path); load_embedding(path)
    {0: (7,), 'a': (8, 9), (1, 2): (10,)}
    """
    try:
        raw = json.loads(Path(path).read_text(), object_pairs_hook=unique_keys)
        if "embedding" in raw:   # [label, chain] pairs: labels keep their JSON type
            pairs = [(_label_from_json(label), chain) for label, chain in raw["embedding"]]
        else:                    # the first format: integer units
            pairs = [(_qubit(k if not isinstance(k, str) else int(k)), chain) for k, chain in raw.items()]
        embedding = {}
        for label, chain in pairs:
            if label in embedding:
                raise ValueError(f"the label {label!r} has two chains")
            embedding[label] = tuple(_qubit(q) for q in chain)
            if not embedding[label]:
                raise ValueError(f"the chain of {label!r} is empty")
        qubits = [q for chain in embedding.values() for q in chain]
        if len(set(qubits)) != len(qubits):
            raise ValueError("two chains share a qubit")
        return embedding
    except (ValueError, AttributeError, TypeError) as exc:
        raise ValueError(f"{str(path)!r} is not an embedding file ({exc})") from exc


def _qubit(value) -> int:
    """A qubit (or unit) index as stored: an integer, not a fraction, a bool or text."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"a qubit must be an integer, got {value!r}")
    return value


def _json_label(label):
    """A variable label as JSON: ints and strings as they are, tuples as lists."""
    if isinstance(label, (bool, np.bool_)) or not isinstance(label, (int, np.integer, str, tuple)):
        raise TypeError(f"save_embedding stores int, str or tuple labels, got {label!r}")
    return [_json_label(part) for part in label] if isinstance(label, tuple) else \
        (int(label) if isinstance(label, (int, np.integer)) else label)


def _label_from_json(value):
    return tuple(_label_from_json(part) for part in value) if isinstance(value, list) else value


class _EmbeddedCall(dimod.Sampler):
    """One embedded child call of a :class:`QPUSampler`, as a logical sampler for Ocean's composites."""

    properties = None

    def __init__(self, qpu: QPUSampler, call) -> None:
        self.qpu, self.call = qpu, call
        self.properties = {}

    @property
    def parameters(self) -> dict[str, list]:
        """The child's parameters plus ``num_reads`` and ``seed``."""
        return self.qpu.parameters

    def sample(self, bqm: dimod.BinaryQuadraticModel, num_reads: int = 1, **child_options: Any) -> dimod.SampleSet:
        return self.call(bqm, num_reads, child_options)


def _embedded_state(state, embedding: Embedding) -> dict:
    """A logical state (mapping or pairs) as a state of the qubits: every qubit of a chain takes its variable's value."""
    state = dict(state)
    return {qubit: state[v] for v, chain in embedding.items() for qubit in chain}


def _flipped(state, bqm: dimod.BinaryQuadraticModel, gauge: np.ndarray) -> dict:
    """A logical state with the variables a gauge flips flipped (in ``bqm``'s vartype)."""
    state = dict(state)
    for v in np.asarray(list(bqm.variables), dtype=object)[gauge]:
        state[v] = 1 - state[v] if bqm.vartype is dimod.BINARY else -state[v]
    return state


class _LinearEmbedding:
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


def _graph_key(bqm: dimod.BinaryQuadraticModel) -> tuple:
    """What identifies a BQM's graph (its variables and couplings), whatever its biases."""
    _, (rows, cols, _), _ = bqm.to_numpy_vectors(list(bqm.variables))
    return tuple(bqm.variables), hash(rows.tobytes()), hash(cols.tobytes())


def _merged(bqm: dimod.BinaryQuadraticModel, parts: list[dimod.SampleSet]) -> dimod.SampleSet:
    """The reads of several calls as one sample set: β_eff over all of them, chain breaks averaged by reads,
    QPU access time summed."""
    sampleset = dimod.concatenate(parts)
    reads = [float(np.sum(part.record.num_occurrences)) for part in parts]
    sampleset.info.update(parts[0].info)
    sampleset.info.update(
        beta_eff=effective_beta(bqm, sampleset),
        chain_break_fraction=float(np.average([part.info["chain_break_fraction"] for part in parts], weights=reads)),
        qpu_access_time=float(sum(part.info["qpu_access_time"] for part in parts)))
    return sampleset


def _covers(embedding: Embedding, bqm: dimod.BinaryQuadraticModel, adjacency: dict) -> bool:
    """Does ``embedding`` hold every variable and realise every coupling of ``bqm``?"""
    if any(v not in embedding for v in bqm.variables):
        return False
    for u, v in bqm.quadratic:
        chain_v = set(embedding[v])
        if not any(adjacency[q] & chain_v for q in embedding[u]):
            return False
    return True


def _hardware_range(properties: Mapping, name: str, default) -> tuple[float, float]:
    """A child's ``(low, high)`` property, with ``low < 0 < high``: anything else is a child that cannot be
    programmed, said as such instead of a division by zero later."""
    value = properties.get(name, default)
    try:
        low, high = (float(x) for x in value)
    except (TypeError, ValueError):
        raise ValueError(f"the child's {name} must be a pair (low, high) of numbers, got {value!r}") from None
    if not (np.isfinite(low) and np.isfinite(high) and low < 0 < high):
        raise ValueError(f"the child's {name} must have low < 0 < high, got {value!r}")
    return low, high


def _open_qpu(client_options: dict) -> dimod.Sampler:
    """``DWaveSampler(**client_options)``, or a clear error when Leap is not configured."""
    from dwave.cloud.config import load_config

    try:
        config = load_config(**{k: v for k, v in client_options.items() if k in ("config_file", "profile")})
    except Exception as exc:  # a broken config file: say which, not a client stack trace
        raise QPUConfigurationError(f"could not read the D-Wave cloud configuration: {exc}") from exc
    if not (client_options.get("token") or config.get("token") or os.environ.get("DWAVE_API_TOKEN")):
        raise QPUConfigurationError(
            "no D-Wave Leap API token is configured: run 'dwave config create' (or 'dwave setup') "
            "or set DWAVE_API_TOKEN, then try again")
    from dwave.system import DWaveSampler

    try:
        return DWaveSampler(**client_options)
    except Exception as exc:
        raise QPUConfigurationError(f"could not open a D-Wave QPU solver: {exc}") from exc
