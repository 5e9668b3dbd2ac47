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

* diagonal statistics averaged along each worldline: it starts from the state returned
  (``s = 2x − 1``, so a SPIN sample is a bit state of the model) and flips at the break
  times in ``info["break_positions"]``;
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

from .._utils import RandomLike, check_beta, check_count, check_random_state
from ..models import Model
from .model import QuantumBoltzmannMachine
from .phases import _ModelSidePhase

__all__ = ["PathIntegralPhase"]


class PathIntegralPhase(_ModelSidePhase):
    """The model side of a QBM from ``dwave.samplers.PathIntegralAnnealingSampler`` at a fixed target.

    Every read runs ``num_sweeps`` sweeps of the worldline moves from a random classical
    state at ``Hp = β, Hd = βΓ``; its statistics are averages along the whole worldline
    (imaginary time 0 to β), read from its state at time 0 and the times of its flips.
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
        spins = answer.record.sample.astype(np.float64)
        flips = np.asarray(answer.info["num_breaks"], dtype=np.int64)
        if answer.info["complete_break_specification"]:
            sigma, pairs = _worldline_averages(spins, flips, np.asarray(answer.info["break_positions"]), model.edges)
        else:    # the sampler's break buffer overflowed: the states at time 0 alone
            sigma, pairs = spins.mean(axis=0), (spins[:, model.edges[:, 0]] * spins[:, model.edges[:, 1]]).mean(axis=0)
        return {"weights": (1 + sigma[model.edges[:, 0]] + sigma[model.edges[:, 1]] + pairs) / 4,
                "biases": (1 + sigma) / 2,
                "transverse_field": np.sign(model.transverse_field) * flips.mean(axis=0) / (self.beta * field)}

    def __repr__(self) -> str:
        return f"PathIntegralPhase(num_reads={self.num_reads}, num_sweeps={self.num_sweeps}, beta={self.beta})"


def _uniform_field(model) -> float:
    """The one transverse-field magnitude of every unit, or a ValueError saying what to use instead."""
    if not isinstance(model, QuantumBoltzmannMachine):
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


def _worldline_averages(spins: np.ndarray, flips: np.ndarray, positions: np.ndarray, edges: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray]:
    """Imaginary-time averages of ``σᶻ_a`` and of ``σᶻ_a σᶻ_b`` on every edge, over all reads.

    A worldline is its spin at time 0 (``spins``, reads × units) flipped at each of its
    ``flips[r, a]`` break times (``positions``, read by read, unit by unit).  Between
    breaks it is constant, so the time it spends flipped is the alternating sum of its
    sorted break times; a product of two worldlines flips at the breaks of either, so the
    same sum over their merged breaks gives the pair's.
    """
    reads, n = spins.shape
    starts = np.concatenate([[0], np.cumsum(flips.ravel())[:-1]])
    single = _flipped_time(positions, _ragged_ranges(starts, flips.ravel()), np.repeat(np.arange(reads * n),
                                                                                     flips.ravel()), reads * n)
    sigma = (spins * (1 - 2 * single.reshape(reads, n))).mean(axis=0)
    a, b = edges[:, 0], edges[:, 1]
    groups = np.arange(reads * len(edges))
    index_a = (np.arange(reads)[:, None] * n + a[None, :]).ravel()       # (read, edge) → its a-unit's group
    index_b = (np.arange(reads)[:, None] * n + b[None, :]).ravel()
    counts_a, counts_b = flips.ravel()[index_a], flips.ravel()[index_b]
    elements = np.concatenate([_ragged_ranges(starts[index_a], counts_a), _ragged_ranges(starts[index_b], counts_b)])
    owners = np.concatenate([np.repeat(groups, counts_a), np.repeat(groups, counts_b)])
    paired = _flipped_time(positions, elements, owners, len(groups)).reshape(reads, len(edges))
    pairs = (spins[:, a] * spins[:, b] * (1 - 2 * paired)).mean(axis=0)
    return sigma, pairs


def _ragged_ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``concatenate([arange(s, s + l) for s, l in zip(starts, lengths)])`` without a loop."""
    total = int(lengths.sum())
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return offsets + np.arange(total)


def _flipped_time(positions: np.ndarray, elements: np.ndarray, owners: np.ndarray, groups: int) -> np.ndarray:
    """Each group's share of imaginary time spent flipped: the alternating sum of its sorted break times."""
    times = positions[elements].astype(np.float64)
    order = np.lexsort((times, owners))
    times, owners = times[order], owners[order]
    first = np.searchsorted(owners, owners)                              # the index of each group's first break
    signs = np.where((np.arange(len(times)) - first) % 2 == 0, -1.0, 1.0)
    return np.bincount(owners, weights=signs * times, minlength=groups) / _IMAGINARY_TIME_STEPS
