"""The QPU sampler: a thin pipeline over one module per hardware concern.

For each call it asks ``_embedding`` where the problem sits, ``_copies`` how many copies go side by
side, ``_scaling`` what divisor fits the hardware's ranges and follows its β, ``_gauges`` how the
reads split over spin-reversal gauges, and ``_state`` what a checkpoint keeps.

>>> import qbm
>>> from dwave.system.testing import MockDWaveSampler
>>> qpu = QPUSampler(MockDWaveSampler(topology_type="pegasus", topology_shape=[3], parameter_warnings=False))
>>> sampleset = qpu.sample(qbm.RBM(4, 2, random_state=0).to_bqm(), num_reads=10, seed=0)
>>> sorted(sampleset.variables), qpu.embedding_searches
([0, 1, 2, 3, 4, 5], 1)
"""
from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from typing import Any

import dimod
import numpy as np
from dwave.embedding import embed_bqm, unembed_sampleset
from dwave.embedding.chain_breaks import broken_chains, majority_vote

from ..._random import check_random_state
from ..._state import prefixed, unprefixed
from ..._validation import check_bool, check_count, check_unit_fraction
from ...sampling.boundary import checked_answer
from ...sampling.temperature import beta_information, effective_beta
from ...typing import Embedding, RandomLike
from ._copies import CopyPlacement
from ._embedding import EmbeddingCache, embedded_state, off_chip
from ._gauges import merged, sample_gauges
from ._scaling import Calibration, HardwareRanges, check_chain_strength, scaled_embedding
from ._state import embedding_state, embeddings_from_state

__all__ = ["QPUSampler", "QPUConfigurationError"]


class QPUConfigurationError(RuntimeError):
    """No D-Wave Leap configuration (token, solver) to open a QPU with."""


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
        working graph holds (:func:`~qbm.samplers.qpu.packing.pack_copies`), an integer caps
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
        self._child = open_qpu(client_options) if child is None else child
        if not hasattr(self.child, "edgelist") or not hasattr(self.child, "nodelist"):
            raise TypeError(f"child must be a dimod structured sampler (nodelist, edgelist), "
                            f"got {type(self.child).__name__}")
        for name in ("parameters", "properties"):
            if not isinstance(getattr(self.child, name, None), Mapping):
                raise TypeError(f"child.{name} must be a mapping, as every dimod sampler's is; "
                                f"{type(self.child).__name__} has {getattr(self.child, name, None)!r}")
        self._embeddings = EmbeddingCache(self.child.nodelist, self.child.edgelist, embedding)
        self.target_edges, self.target_adjacency = self._embeddings.edges, self._embeddings.adjacency
        self.chain_strength = check_chain_strength(chain_strength)
        self.chain_break_method = chain_break_method
        self.chain_break_warning = chain_break_warning
        self.calibrate = check_bool(calibrate, "calibrate")
        self.calibrate_every = check_count(calibrate_every, "calibrate_every")
        self._calibration = Calibration(check_unit_fraction(memory, "memory"))
        self.spin_reversal_transforms = check_count(spin_reversal_transforms, "spin_reversal_transforms",
                                                    minimum=0)
        self._copies = CopyPlacement(copies)
        self.calls = 0
        self.qpu_access_time = 0.0  # µs charged by the child over the sampler's lifetime
        self.ranges = HardwareRanges(self.child.properties)

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

    @property
    def embedding(self) -> Embedding | None:
        """The logical problem's embedding (variable → chain of qubits), once found or given."""
        return self._embeddings.embedding

    @property
    def embedding_searches(self) -> int:
        """How many times minorminer was run."""
        return self._embeddings.searches

    @property
    def copies(self) -> int | str:
        """Copies programmed per call at most (``"auto"``: as many as the chip holds)."""
        return self._copies.copies

    @property
    def copy_embeddings(self) -> list[Embedding] | None:
        """Every copy's embedding, the first being :attr:`embedding` (None until copies are placed)."""
        return self._copies.embeddings

    @property
    def memory(self) -> float:
        """Fraction of the past β estimates' information kept at each new one."""
        return self._calibration.memory

    @property
    def qpu_beta(self) -> float | None:
        """Running estimate of the hardware's β with respect to the programmed problem."""
        return self._calibration.qpu_beta

    @property
    def target_beta(self) -> float | None:
        """The estimate the scale follows, refreshed every ``calibrate_every`` calls."""
        return self._calibration.target_beta

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
        embedding = self._embeddings.for_bqm(bqm, rng)
        copies = self._copies.for_bqm(bqm, embedding, self.target_adjacency, rng,
                                      self.child.properties.get("topology"))
        charged = 0.0
        if self.calibrate and self.qpu_beta is None:
            charged += self._draw(bqm, copies, num_reads, child_options, rng).info["qpu_access_time"]
        if self.calibrate:
            self._calibration.refresh(self.calls, self.calibrate_every)
        sampleset = self._draw(bqm, copies, num_reads, child_options, rng)
        sampleset.info["qpu_access_time"] += charged
        return sampleset

    def _draw(self, bqm, copies: list[Embedding], num_reads: int, child_options: dict,
              rng: np.random.Generator) -> dimod.SampleSet:
        """``num_reads`` samples: one copy per call (with gauges, one call per gauge) or all copies at once."""
        if len(copies) == 1:
            if self.spin_reversal_transforms == 0:
                return self._sample_embedded(bqm, copies[0], num_reads, child_options)
            return sample_gauges(
                bqm, num_reads, self.spin_reversal_transforms, child_options, rng,
                lambda logical, reads, options: self._sample_embedded(logical, copies[0], reads, options),
                self.parameters)
        calls = max(1, -(-self.spin_reversal_transforms // len(copies)))   # every copy is a gauge
        calls = min(calls, num_reads)
        parts = [self._copies.sample(bqm, copies, int(reads), child_options, rng, self.target_adjacency,
                                     self._sample_embedded)
                 for reads in np.diff(np.linspace(0, num_reads, calls + 1).round().astype(int))]
        if len(parts) == 1:
            return parts[0]
        sampleset = merged(bqm, parts)
        sampleset.info.update(copy_chain_break_fraction=[f for p in parts for f in p.info["copy_chain_break_fraction"]],
                              copy_beta_eff=[b for p in parts for b in p.info["copy_beta_eff"]])
        return sampleset

    def _sample_embedded(self, bqm: dimod.BinaryQuadraticModel, embedding: Embedding, num_reads: int,
                         child_options: dict, broken_out: list | None = None,
                         embed_bqm=embed_bqm) -> dimod.SampleSet:
        """One child call at the current scale; measures β_eff (and, calibrating, tracks the hardware's β).

        ``broken_out``, if given, receives the reads × variables matrix of broken chains; ``embed_bqm``
        replaces Ocean's function of that name (same signature)."""
        scale, minimum_scale, chain_strength, embedded = scaled_embedding(
            bqm, embedding, self.target_adjacency, self.ranges, self.chain_strength,
            self.target_beta if self.calibrate else None, embed_bqm)
        embedded.scale(1.0 / scale)
        options = dict(child_options)
        if "auto_scale" in self.child.parameters:
            options["auto_scale"] = False
        if options.get("initial_state") is not None:
            options["initial_state"] = embedded_state(options["initial_state"], embedding)
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
            self._calibration.track(beta_eff * scale, beta_information(bqm, sampleset, beta_eff) / scale ** 2)
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
        hardware = self.child.state_dict() if hasattr(self.child, "state_dict") else {}   # a stand-in's streams
        return {"calls": np.array(self.calls), "qpu_access_time": np.array(self.qpu_access_time),
                "embedding_searches": np.array(self.embedding_searches), **self._calibration.state_dict(),
                **embedding_state(self.embedding, self.copy_embeddings), **prefixed(hardware, "child")}

    def load_state_dict(self, state: dict) -> None:
        """Restore what :meth:`state_dict` returned."""
        self.calls, self._embeddings.searches = int(state["calls"]), int(state["embedding_searches"])
        self.qpu_access_time = float(state["qpu_access_time"])
        self._calibration.load_state_dict(state)
        embedding, copies = embeddings_from_state(state)
        self._embeddings.restore(embedding)
        if copies is not None and (self.embedding is None or off_chip(copies, self.target_adjacency)):
            copies = None   # placed again with the embedding, on this chip
        self._copies.restore(copies)
        hardware = unprefixed(state, "child")
        if hardware and hasattr(self.child, "load_state_dict"):
            self.child.load_state_dict(hardware)



def open_qpu(client_options: dict) -> dimod.Sampler:
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
