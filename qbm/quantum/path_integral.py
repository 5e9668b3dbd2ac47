"""A quantum Boltzmann machine's model side from Ocean's continuous-time path-integral sampler.

dwave-samplers' ``PathIntegralAnnealingSampler`` samples worldlines of a transverse-field
Ising model: with a schedule of ``(Hp, Hd)`` pairs it draws from

    ρ ∝ exp(−Hp · E_bqm(σᶻ) + Hd · Σ_a σˣ_a),

``E_bqm`` the SPIN BQM's energy ``Σ h_a s_a + Σ_{a<b} J_ab s_a s_b`` (its C++ source,
``localPIMC.cpp``: ``invTemp = Hp``, ``invTempGamma = Hd``; its ``Gamma`` argument is
overwritten by ``Hd_field`` and the default ``Hd_field`` is zero, a classical anneal).
The model's density is ``e^{−βH}`` with ``H = E_ising(σᶻ) − Σ_a Γ_a σˣ_a`` (the classical
part's Ising form, σᶻ = diag(−1, +1) as in :mod:`qbm.quantum.model`), so a fixed target
``Hp = β``, ``Hd = βΓ`` held for every sweep samples it (imaginary time in 2¹⁶ steps, so
the Trotter error, ``O((βΓ/2¹⁶)²)``, is far below sampling noise):

* diagonal statistics averaged over each worldline read at 16 equally spaced imaginary
  times: it starts from the state returned (``s = 2x − 1``, so a SPIN sample is a bit
  state of the model) and flips at the break times in ``info["break_positions"]``;
* ``⟨σˣ_a⟩ = ⟨k_a⟩ / (βΓ)``, ``k_a`` the number of spin flips (breaks) of ``a``'s worldline
  — in a continuous-time path integral the flips of one qubit are the insertions of
  ``βΓσˣ_a`` in the expansion of ``Tr e^{−βH}``, so ``∂ log Z / ∂Γ_a = β⟨σˣ_a⟩ = ⟨k_a⟩ / Γ_a``.

The sampler takes one ``Hd`` for every qubit, so the phase needs one field magnitude
``|Γ_a| = Γ`` on every unit: a sign only flips that unit's ``σˣ`` (a rotation by σᶻ) and is
applied to its estimate; units with different fields, or with none (the semi-restricted
QRBM's visible units), are refused with a pointer to :class:`~qbm.quantum.TrotterPhase`, which
takes any field per unit.
"""
from __future__ import annotations

import dimod
import numpy as np

from ..typing import RandomLike
from .._validation import check_beta, check_count
from .._random import check_random_state
from ..models import Model
from .phases import ModelSidePhase
from ..models.kinds import is_quantum

__all__ = ["PathIntegralPhase"]


class PathIntegralPhase(ModelSidePhase):
    """The model side of a QBM from ``dwave.samplers.PathIntegralAnnealingSampler`` at a fixed target.

    Every read runs ``num_sweeps`` sweeps of the worldline moves from a random classical
    state at ``Hp = β, Hd = βΓ``; its statistics average the worldline at 16 equally
    spaced imaginary times, read from its state at time 0 and the times of its flips.
    It supplies the model side only: use it as ``BoundPhase(negative=PathIntegralPhase())``.

    Parameters
    ----------
    num_reads : int
        Independent worldlines per call.
    num_sweeps : int
        Sweeps per read (each a move of every qubit's worldline).
    beta : float
        Inverse temperature of the model.

    Examples
    --------
    >>> from qbm.quantum import QuantumBoltzmannMachine
    >>> phase = PathIntegralPhase(num_reads=50, num_sweeps=20)
    >>> sorted(phase.statistics(QuantumBoltzmannMachine(3, random_state=0), None, random_state=0))
    ['biases', 'transverse_field', 'weights']
    """

    samples_model = True

    def __init__(self, num_reads: int = 200, num_sweeps: int = 100, beta: float = 1.0) -> None:
        super().__init__()
        self.num_reads = check_count(num_reads, "num_reads")
        self.num_sweeps = check_count(num_sweeps, "num_sweeps")
        self.beta = check_beta(beta)

    def statistics(self, model: Model, batch, random_state: RandomLike = None) -> dict[str, np.ndarray]:
        """``⟨s_i⟩``, ``⟨s_i s_j⟩`` on every edge and ``⟨σˣ_a⟩`` from sampled worldlines.

        Parameters
        ----------
        model : QuantumBoltzmannMachine
            A model with one transverse-field magnitude on every unit.
        batch : ignored
        random_state : int, numpy.random.Generator or None
            Seeds the sampler.

        Returns
        -------
        dict of str -> ndarray

        Examples
        --------
        >>> from qbm.quantum import QuantumBoltzmannMachine
        >>> model = QuantumBoltzmannMachine(2, transverse_field=1.0, weights=[0.0])   # free spins: ⟨σˣ⟩ = tanh βΓ
        >>> sigma_x = PathIntegralPhase(num_reads=2000).statistics(model, None, random_state=0)["transverse_field"]
        >>> bool(np.all(np.abs(sigma_x - np.tanh(1.0)) < 0.05))
        True
        """
        from dwave.samplers import PathIntegralAnnealingSampler

        field = _uniform_field(model)
        rng = check_random_state(random_state)
        h, J, _ = model.classical_part().to_ising()
        bqm = dimod.BinaryQuadraticModel(h, np.triu(J, 1), 0.0, dimod.SPIN)
        self.sampler_calls += 1
        answer = PathIntegralAnnealingSampler().sample(
            bqm, num_reads=self.num_reads, beta_schedule_type="custom", num_sweeps_per_beta=1,
            Hp_field=np.full(self.num_sweeps, self.beta), Hd_field=np.full(self.num_sweeps, self.beta * field),
            seed=int(rng.integers(2 ** 31)), project_states=(True, False))
        order = [answer.variables.index(unit) for unit in range(model.n_units)]
        if order != list(range(model.n_units)):
            raise RuntimeError("the path-integral sampler reordered the variables; its breaks cannot be read")
        spins = answer.record.sample.astype(np.int64)
        flips = np.asarray(answer.info["num_breaks"], dtype=np.int64)
        if answer.info["complete_break_specification"]:
            states = _worldline_states(spins, flips, np.asarray(answer.info["break_positions"], dtype=np.int64))
        else:    # the sampler's break buffer overflowed: the states at time 0 alone
            states = (spins + 1) / 2
        stats = model.sufficient_statistics(states, check_input=False)
        stats["transverse_field"] = np.sign(model.transverse_field) * flips.mean(axis=0) / (self.beta * field)
        return stats

    def __repr__(self) -> str:
        return f"PathIntegralPhase(num_reads={self.num_reads}, num_sweeps={self.num_sweeps}, beta={self.beta})"


def _uniform_field(model) -> float:
    """The one transverse-field magnitude of every unit, or a ValueError saying what to use instead."""
    if not is_quantum(model):
        raise TypeError(f"model must be a QuantumBoltzmannMachine, got {type(model).__name__}")
    magnitudes = np.abs(model.transverse_field)
    if magnitudes.min() == 0 or not np.allclose(magnitudes, magnitudes[0], rtol=1e-12, atol=0):
        raise ValueError("PathIntegralPhase needs one transverse-field magnitude on every unit (the sampler takes a "
                         f"single field for all qubits); this model's |Γ| ranges over [{magnitudes.min():g}, "
                         f"{magnitudes.max():g}]: use TrotterPhase (qbm train --phase quantum-trotter), which takes "
                         "a field per unit")
    return float(magnitudes[0])


_IMAGINARY_TIME_STEPS = 2 ** 16
"""The sampler's imaginary time is an integer in [0, 2**16) (``numTrotterSlices`` in ``localPIMC.h``)."""
_READ_TIMES = 16
"""Equally spaced imaginary times at which each worldline is read."""


def _worldline_states(spins: np.ndarray, flips: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Every worldline read at :data:`_READ_TIMES` equally spaced imaginary times, as 0/1 states
    (reads × times rows, units as columns).

    A worldline is its spin at time 0 (``spins``, reads × units) flipped at each of its
    ``flips[r, a]`` break times (``positions``, read by read, unit by unit); at time ``t`` it
    has flipped as often as it has breaks before ``t``.  Each time's state is an exact draw
    of the model's diagonal, so their average has the same mean and a smaller variance.
    """
    reads, n = spins.shape
    owner = np.repeat(np.arange(reads * n), flips.ravel())
    before = positions[:len(owner)] * _READ_TIMES // _IMAGINARY_TIME_STEPS + 1   # the first read time after it
    counts = np.bincount(owner * (_READ_TIMES + 1) + before, minlength=reads * n * (_READ_TIMES + 1))
    parity = np.cumsum(counts.reshape(reads, n, _READ_TIMES + 1)[:, :, :_READ_TIMES], axis=2) % 2
    at_times = spins[:, :, None] * (1 - 2 * parity)                     # reads × units × times, ±1
    return (at_times.transpose(0, 2, 1).reshape(-1, n) + 1) / 2
