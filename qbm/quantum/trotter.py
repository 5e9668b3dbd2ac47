"""The Suzuki–Trotter mapping: a quantum Boltzmann machine as a classical BQM any dimod sampler draws from.

With ``H = H_cl(σᶻ) − Σ_a Γ_a σˣ_a`` (``H_cl`` the classical model's Ising energy) and
``ε = β/M``, ``Tr e^{−βH} ≈ Tr[(e^{−εH_cl} e^{εΣΓσˣ})^M]``.  Inserting σᶻ states between the
factors, a single spin's ``⟨σ'|e^{εΓσˣ}|σ⟩`` is ``cosh εΓ`` (equal) or ``sinh εΓ`` (flipped),
i.e. ``C e^{K σσ'}`` with ``K = ½ ln coth(εΓ)`` and ``C = √(sinh εΓ cosh εΓ)``.  So the
Trotterized weight is ``exp(−E_M)`` with the classical energy

    E_M = Σ_k ε H_cl(σ⁽ᵏ⁾) − Σ_k Σ_a K_a σ_a⁽ᵏ⁾ σ_a⁽ᵏ⁺¹⁾     (slices k = 0..M−1, periodic),

a SPIN BQM on ``M × n`` variables labelled ``(unit, slice)``.  A unit with ``Γ = 0`` has an
infinite ``K``: all its slices are one variable, labelled ``(unit, 0)``.  The error of the
statistics falls like ``1/M²``.
"""
from __future__ import annotations

from typing import Any

import dimod
import numpy as np

from .._validation import check_beta, check_count
from .._sampler_args import check_sampler
from ..models import Model
from ..sampling.boundary import boltzmann_samples
from ..phases.base import Phase
from ..phases.registry import make_phase, phase_entry, phase_names, register_phase
from ..samplers.gibbs import GibbsSampler
from .model import QuantumBoltzmannMachine
from .path_integral import PathIntegralPhase
from .phases import BoundPhase, ExactQuantumPhase, ModelSidePhase
from ..models.kinds import is_quantum

__all__ = ["trotter_bqm", "TrotterPhase", "QUANTUM_PHASE_NAMES", "make_quantum_phase"]


def trotter_bqm(model: QuantumBoltzmannMachine, slices: int, beta: float = 1.0) -> dimod.BinaryQuadraticModel:
    """The classical SPIN BQM whose Boltzmann distribution (at its own β = 1) is the Trotterized QBM.

    Parameters
    ----------
    model : QuantumBoltzmannMachine
        The model.
    slices : int
        Trotter slices ``M``.
    beta : float
        Inverse temperature of the model.

    Returns
    -------
    dimod.BinaryQuadraticModel
        SPIN, labels ``(unit, slice)``; a unit without transverse field has the one label ``(unit, 0)``.

    Examples
    --------
    >>> from qbm.quantum import QuantumBoltzmannMachine
    >>> bqm = trotter_bqm(QuantumBoltzmannMachine(2, transverse_field=[0.0, 1.0], random_state=0), slices=4)
    >>> len(bqm), sorted(bqm.variables)[:3]
    (5, [(0, 0), (1, 0), (1, 1)])
    """
    if not is_quantum(model):
        raise TypeError(f"model must be a QuantumBoltzmannMachine, got {type(model).__name__}")
    slices = check_count(slices, "slices")
    beta = check_beta(beta)
    epsilon = beta / slices
    h, J, offset = model.classical_part().to_ising()
    n = model.n_units
    quantum = model.transverse_field != 0
    # variable of (unit, slice): a classical unit's slices share one variable
    full = np.where(quantum[:, None], np.arange(n * slices).reshape(n, slices), (np.arange(n) * slices)[:, None])
    used, index = np.unique(full, return_inverse=True)
    index = index.reshape(n, slices)
    linear = np.zeros(len(used))
    np.add.at(linear, index.ravel(), np.repeat(epsilon * h, slices))
    a, b = np.nonzero(np.triu(J, 1))
    rows, cols, values = [index[a].ravel()], [index[b].ravel()], [np.repeat(epsilon * J[a, b], slices)]
    if slices > 1:
        units = np.flatnonzero(quantum)
        coupling = -0.5 * np.log(1.0 / np.tanh(epsilon * np.abs(model.transverse_field[units])))  # −K
        links = np.arange(slices) if slices > 2 else np.arange(1)   # with two slices both links join one pair
        rows.append(index[units][:, links].ravel())
        cols.append(index[units][:, (links + 1) % slices].ravel())
        values.append(np.repeat((1.0 if slices > 2 else 2.0) * coupling, len(links)))
    bqm = dimod.BinaryQuadraticModel.from_numpy_vectors(
        linear, (np.concatenate(rows), np.concatenate(cols), np.concatenate(values)), beta * offset, dimod.SPIN)
    return bqm.relabel_variables({k: (int(v) // slices, int(v) % slices) for k, v in enumerate(used)}, inplace=False)


class TrotterPhase(ModelSidePhase):
    """The model side of a QBM from any dimod sampler, through :func:`trotter_bqm`.

    Samples of the ``M``-slice BQM are mapped back to ``M`` classical states each, whose
    statistics are averaged; ``⟨σˣ_a⟩`` is estimated from the slice links (``tanh εΓ``
    where neighbouring slices agree, ``coth εΓ`` where they differ).  It supplies the
    model side only: use it as ``BoundPhase(negative=TrotterPhase(...))``.

    Parameters
    ----------
    sampler : dimod.Sampler
        Any sampler: :class:`~qbm.samplers.GibbsSampler`, neal, a QPU through
        :class:`~qbm.samplers.qpu.QPUSampler`...
    slices : int
        Trotter slices ``M``.
    num_reads : int
        Samples of the Trotter BQM per call.
    beta : float
        Inverse temperature of the model.
    **sample_kwargs
        Passed to ``sampler.sample``.

    Examples
    --------
    >>> from qbm.samplers import GibbsSampler
    >>> from qbm.quantum import QuantumBoltzmannMachine
    >>> phase = TrotterPhase(GibbsSampler(), slices=8, num_reads=50, num_sweeps=20)
    >>> sorted(phase.statistics(QuantumBoltzmannMachine(3, random_state=0), None, random_state=0))
    ['biases', 'transverse_field', 'weights']
    """

    samples_model = True   # to the Trotter error in the slices

    def __init__(self, sampler: dimod.Sampler, slices: int = 16, num_reads: int = 100, beta: float = 1.0,
                 **sample_kwargs: Any) -> None:
        super().__init__()
        self.sampler = check_sampler(sampler, keywords=sample_kwargs)
        self.slices = check_count(slices, "slices")
        self.num_reads = check_count(num_reads, "num_reads")
        self.beta = check_beta(beta)
        self.sample_kwargs = sample_kwargs

    def statistics(self, model: Model, batch, random_state=None) -> dict[str, np.ndarray]:
        """Slice-averaged statistics of the sampled Trotter BQM.

        Parameters
        ----------
        model : QuantumBoltzmannMachine
            The model.
        batch : ignored
        random_state : int, numpy.random.Generator or None
            Seeds the sampler.

        Returns
        -------
        dict of str -> ndarray

        Examples
        --------
        >>> import qbm
        >>> from qbm.quantum import QuantumBoltzmannMachine
        >>> stats = TrotterPhase(qbm.ExactSampler(), slices=2, num_reads=10).statistics(
        ...     QuantumBoltzmannMachine(2, random_state=0), None, random_state=0)
        >>> stats["biases"].shape
        (2,)
        """
        bqm = trotter_bqm(model, self.slices, self.beta)
        self.sampler_calls += 1
        answer = boltzmann_samples(self.sampler, bqm, self.num_reads, random_state, **self.sample_kwargs)
        spins, weights = _slice_spins(answer, model, self.slices)            # (samples, slices, units)
        states = (spins.reshape(-1, model.n_units) + 1) / 2
        stats = model.sufficient_statistics(states, np.repeat(weights, self.slices), check_input=False)
        stats["transverse_field"] = _sigma_x_estimate(spins, weights, model, self.beta / self.slices)
        return stats

    def __repr__(self) -> str:
        extra = "".join(f", {k}={v!r}" for k, v in self.sample_kwargs.items())
        return (f"TrotterPhase({type(self.sampler).__name__}(), slices={self.slices}, num_reads={self.num_reads}, "
                f"beta={self.beta}{extra})")


def _slice_spins(answer: dimod.SampleSet, model: QuantumBoltzmannMachine, slices: int):
    """The samples as spins of shape (samples, slices, units), with their occurrence weights."""
    quantum = model.transverse_field != 0
    labels = [(unit, k if quantum[unit] else 0) for k in range(slices) for unit in range(model.n_units)]
    answer = answer.change_vartype(dimod.SPIN, inplace=False)
    columns = [answer.variables.index(label) for label in labels]
    spins = answer.record.sample[:, columns].reshape(len(answer), slices, model.n_units).astype(np.float64)
    return spins, np.asarray(answer.record.num_occurrences, dtype=np.float64)


def _sigma_x_estimate(spins: np.ndarray, weights: np.ndarray, model, epsilon: float) -> np.ndarray:
    """``⟨σˣ_a⟩ ≈ mean over links of (tanh εΓ_a if the neighbouring slices agree, else coth εΓ_a)``."""
    field = np.abs(model.transverse_field)
    quantum = field > 0
    estimate = np.zeros(model.n_units)
    if not quantum.any():
        return estimate
    agree = spins == np.roll(spins, -1, axis=1)   # (samples, slices, units); one slice is its own neighbour
    t = np.tanh(epsilon * field[quantum])
    per_link = np.where(agree[:, :, quantum], t, 1.0 / t)
    estimate[quantum] = np.sign(model.transverse_field[quantum]) * (weights @ per_link.mean(axis=1)) / weights.sum()
    return estimate


register_phase("quantum-exact", lambda reads, sweeps, slices: ExactQuantumPhase(),
               "the exact gradient of a quantum Boltzmann machine, Γ included (eigendecomposition)", model="quantum")
register_phase("quantum-bound", lambda reads, sweeps, slices: BoundPhase(),
               "the Golden–Thompson bound with an exact negative phase (Γ held fixed)", model="quantum")
register_phase("quantum-trotter", lambda reads, sweeps, slices: BoundPhase(negative=TrotterPhase(
    GibbsSampler(), slices=slices, num_reads=reads, num_sweeps=max(sweeps, 1))),
    "the bound with a Trotter negative phase: slices × units spins through the GibbsSampler", model="quantum")
register_phase("quantum-path-integral", lambda reads, sweeps, slices: BoundPhase(negative=PathIntegralPhase(
    num_reads=reads, num_sweeps=max(sweeps, 1))),
    "the bound with dwave-samplers' path-integral sampler as the negative phase (one Γ on every unit)",
    model="quantum")

QUANTUM_PHASE_NAMES = phase_names("quantum")
"""The registry's quantum phase names."""


def make_quantum_phase(name: str, *, num_reads: int = 200, num_sweeps: int = 100, slices: int = 16) -> Phase:
    """A QBM phase by its registry name: :func:`qbm.phases.make_phase` for the quantum names only, with the same
    defaults, so one name gives one phase whichever function builds it.

    Parameters
    ----------
    name : {"quantum-exact", "quantum-bound", "quantum-trotter", "quantum-path-integral"}
        :class:`~qbm.quantum.phases.ExactQuantumPhase`; :class:`~qbm.quantum.phases.BoundPhase` with an exact
        negative phase; the bound with a Trotter negative phase through :class:`~qbm.samplers.GibbsSampler`;
        the bound with :class:`~qbm.quantum.path_integral.PathIntegralPhase` as the negative phase.
    num_reads : int
        Samples of the Trotter BQM per step.
    num_sweeps : int
        Gibbs sweeps per Trotter sample, or path-integral sweeps per read.
    slices : int
        Trotter slices.

    Returns
    -------
    Phase

    Examples
    --------
    >>> make_quantum_phase("quantum-bound")
    BoundPhase(negative=ExactQuantumPhase(beta=1.0), beta=1.0)
    >>> repr(make_quantum_phase("quantum-trotter")) == repr(make_phase("quantum-trotter"))
    True
    """
    if name not in QUANTUM_PHASE_NAMES or phase_entry(name).model != "quantum":
        raise ValueError(f"unknown quantum phase {name!r}; choose one of {', '.join(QUANTUM_PHASE_NAMES)}")
    return make_phase(name, num_reads=num_reads, num_sweeps=num_sweeps, slices=slices)
