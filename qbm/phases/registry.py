"""The one registry of phases by name: what the ``qbm`` command, the scikit-learn estimators and the docs list.

Each entry says which kind of model it trains (``"classical"`` or ``"quantum"``) and builds its
phase from three shared settings.  The classical phases are registered here; the quantum wing
registers its own under names of their own (``quantum-…``) when :mod:`qbm.quantum` is imported,
which ``import qbm`` does.  :data:`PHASE_NAMES` is a live view of the registry, so no list of
names is ever written twice.

>>> make_phase("pcd", num_reads=20)
PCD(num_chains=20, k=1, fast_rate=0.05, fast_decay=0.95)
>>> "tempering" in PHASE_NAMES, phase_entry("cd").model
(True, 'classical')
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..sampling.boundary import BOLTZMANN_BETA_RANGE
from ..samplers import make_sampler
from ..samplers.testing import mock_qpu
from .._validation import check_count
from .base import Phase
from .contrastive import CD, PCD
from .exact import ExactPhase
from .qpu import qpu_phase
from .sampler import SamplerPhase
from .tempering import ParallelTempering

__all__ = ["PhaseEntry", "PHASE_NAMES", "make_phase", "phase_entry", "phase_names", "register_phase"]

MODEL_KINDS = ("classical", "quantum")


@dataclass(frozen=True)
class PhaseEntry:
    """One registered phase: its name, what it does (one line), the kind of model it trains, its builder.

    Parameters
    ----------
    name : str
        The registered name.
    summary : str
        One line for ``--help`` and the docs.
    model : {"classical", "quantum"}
        The kind of model the phase trains.
    build : callable ``(num_reads, num_sweeps, slices) -> Phase``
        Returns a new phase; each builder uses the settings it needs.
    trial : bool
        Whether one step may be tried before a run to check its settings (not where a step costs QPU time).
    offline : callable ``(num_reads, num_sweeps, slices) -> Phase``, optional
        Builds the phase on offline stand-in hardware (:mod:`qbm.samplers.testing`), for a phase whose
        ``build`` needs hardware: what the conformance kits run.

    Examples
    --------
    >>> phase_entry("pcd").summary
    'num_reads persistent chains, with fast weights'
    """

    name: str
    summary: str
    model: str
    build: Callable[[int, int, int], Phase]
    trial: bool = True
    offline: Callable[[int, int, int], Phase] | None = None

    def build_offline(self, num_reads: int = 200, num_sweeps: int = 100, slices: int = 16) -> Phase:
        """The phase as ``offline`` builds it where that is given, else as ``build`` does.

        Parameters
        ----------
        num_reads, num_sweeps, slices : int
            As for :func:`make_phase`.

        Returns
        -------
        Phase

        Examples
        --------
        >>> type(phase_entry("qpu").build_offline(10).sampler.child.child).__name__
        '_MockQPU'
        """
        return (self.offline or self.build)(num_reads, num_sweeps, slices)


_PHASES: dict[str, PhaseEntry] = {}


def register_phase(name: str, build: Callable[[int, int, int], Phase], summary: str,
                   model: str = "classical", trial: bool = True,
                   offline: Callable[[int, int, int], Phase] | None = None) -> None:
    """Add a phase to the registry under a new ``name``.

    Parameters
    ----------
    name : str
        The name (a name already registered is an error).
    build : callable ``(num_reads, num_sweeps, slices) -> Phase``
        Builds a fresh phase.
    summary : str
        One line for ``--help`` and the docs.
    model : {"classical", "quantum"}
        The kind of model the phase trains.
    trial : bool
        Whether one step may be tried before a run (``False`` where a step costs QPU time).
    offline : callable ``(num_reads, num_sweeps, slices) -> Phase``, optional
        The same phase on offline stand-in hardware, where ``build`` needs hardware.

    Examples
    --------
    >>> register_phase("cd", lambda num_reads, num_sweeps, slices: CD(), "CD-1")
    Traceback (most recent call last):
    ...
    ValueError: a phase named 'cd' is already registered
    """
    if name in _PHASES:
        raise ValueError(f"a phase named {name!r} is already registered")
    if model not in MODEL_KINDS:
        raise ValueError(f"model must be one of {', '.join(MODEL_KINDS)}, got {model!r}")
    _PHASES[name] = PhaseEntry(name, summary, model, build, trial, offline)


def phase_names(model: str | None = None) -> tuple[str, ...]:
    """The registered names, in registration order; only those training ``model`` if given.

    Parameters
    ----------
    model : {"classical", "quantum"}, optional
        The kind of model.

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> phase_names("quantum")
    ('quantum-exact', 'quantum-bound', 'quantum-trotter', 'quantum-path-integral')
    """
    return tuple(name for name, entry in _PHASES.items() if model is None or entry.model == model)


def phase_entry(name: str) -> PhaseEntry:
    """The registry's entry for ``name``; a ``ValueError`` listing the names otherwise.

    Parameters
    ----------
    name : str
        A registered name.

    Returns
    -------
    PhaseEntry

    Examples
    --------
    >>> phase_entry("quantum-bound").model
    'quantum'
    """
    if name not in _PHASES:
        raise ValueError(f"unknown phase {name!r}; choose one of {', '.join(_PHASES)}")
    return _PHASES[name]


def make_phase(name: str, *, num_reads: int = 200, num_sweeps: int = 100, slices: int = 16) -> Phase:
    """A phase by name, as the ``qbm`` command and the scikit-learn estimators spell it.

    Parameters
    ----------
    name : str
        One of ``PHASE_NAMES`` (``qbm.phases.phase_entry(name).summary`` says what it is).
    num_reads : int
        Samples per step (the persistent chains of ``"pcd"``, the chains per temperature of ``"tempering"``).
    num_sweeps : int
        Sweeps of each anneal, or of post-processing for ``"qpu"``.
    slices : int
        Trotter slices (``"quantum-trotter"``).

    Returns
    -------
    Phase

    Examples
    --------
    >>> make_phase("tempering", num_reads=5)
    ParallelTempering(num_chains=5, betas=[0.1, 0.1292, 0.1668, 0.2154, 0.2783, 0.3594, 0.4642, 0.5995, 0.7743, 1.0], k=1, adapt_rate=0.01)
    """
    entry = phase_entry(name)
    return entry.build(check_count(num_reads, "num_reads"), check_count(num_sweeps, "num_sweeps", minimum=0),
                       check_count(slices, "slices"))


def _annealing_sweeps(sweeps: int) -> int:
    """An anneal needs at least one sweep: with none, a sampler answers with its random initial states."""
    return check_count(sweeps, "num_sweeps")


class _Names(Sequence):
    """The registered names as a read-only sequence that follows the registry."""

    def __getitem__(self, index):
        return phase_names()[index]

    def __len__(self) -> int:
        return len(_PHASES)

    def __repr__(self) -> str:
        return repr(phase_names())


PHASE_NAMES: Sequence[str] = _Names()
"""Every registered phase name, classical and quantum (a live view of the registry)."""


register_phase("neal", lambda reads, sweeps, slices: SamplerPhase(
    make_sampler("neal"), num_reads=reads, num_sweeps=_annealing_sweeps(sweeps), beta_schedule_type="linear"),
    "fresh simulated-annealing chains (dwave-neal), β 0.05 → 1 over num_sweeps sweeps")
register_phase("gibbs", lambda reads, sweeps, slices: SamplerPhase(
    make_sampler("gibbs"), num_reads=reads, num_sweeps=_annealing_sweeps(sweeps), beta_range=BOLTZMANN_BETA_RANGE,
    importance_weights=True), "fresh annealed Gibbs chains, β 0.05 → 1, with importance weights")
register_phase("exact", lambda reads, sweeps, slices: SamplerPhase(make_sampler("exact"), num_reads=reads),
               "exact samples (enumeration)")
register_phase("exact-gradient", lambda reads, sweeps, slices: ExactPhase(),
               "exact expectations by enumeration: the gradient without noise")
register_phase("pcd", lambda reads, sweeps, slices: PCD(num_chains=reads, k=1),
               "num_reads persistent chains, with fast weights")
register_phase("cd", lambda reads, sweeps, slices: CD(k=1), "CD-1 from the data")
register_phase("tempering", lambda reads, sweeps, slices: ParallelTempering(num_chains=reads),
               "parallel tempering, num_reads chains at each of 10 temperatures")
register_phase("qpu", lambda reads, sweeps, slices: qpu_phase(reads, postprocess_sweeps=sweeps),
               "a D-Wave QPU from the Leap configuration, num_sweeps Gibbs sweeps of post-processing per sample",
               trial=False, offline=lambda reads, sweeps, slices: qpu_phase(reads, sampler=mock_qpu(),
                                                                            postprocess_sweeps=sweeps))
