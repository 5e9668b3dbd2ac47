"""Run the QPU path offline, on hardware as unkind as a real annealer.

A real QPU does not return Boltzmann samples of the programmed problem.  Its samples
come from an anneal that stops equilibrating before it ends (*freeze-out*), at an
unknown temperature, of a problem perturbed by *integrated control errors*; it can
also start from given states (*reverse annealing*), and every call is charged QPU
access time.  :func:`mock_qpu` builds a ``dwave.system.testing.MockDWaveSampler`` (the
chip's graph and properties) whose samples come from a hardware model:

- :class:`MockAnnealer` (the default): every effect above, each a seeded parameter;
- :class:`HiddenTemperatureSampler`: an ideal equilibrium sampler at a hidden β.

Each call's ``info["timing"]["qpu_access_time"]`` is what D-Wave's published timing
model (``StructuredSolver.estimate_qpu_access_time`` of dwave-cloud-client, with the
``problem_timing_data`` of an Advantage system) charges for it.

>>> import qbm
>>> from qbm.samplers import QPUSampler
>>> qpu = QPUSampler(mock_qpu(3, HiddenTemperatureSampler(beta=3.0)))
>>> info = qpu.sample(qbm.RBM(4, 2, random_state=0, weights=[[1.0, -1.0]] * 4).to_bqm(), num_reads=2000, seed=0).info
>>> abs(info["beta_eff"] * info["scale"] - 3.0) < 0.5   # the hidden β, recovered from the samples
True
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import Any

import dimod
import numpy as np
from dwave.system.testing import MockDWaveSampler

from ..typing import RandomLike
from .._validation import check_beta, check_count
from .._random import check_random_state, draw_seed, restore_stream, stream_state
from .._sampler_args import state_spins

__all__ = ["MockAnnealer", "HiddenTemperatureSampler", "mock_qpu", "anneal_betas"]

_METHODS = ("exact", "gibbs")
_DEFAULT_ANNEALING_TIME = 20.0  # µs, the default_annealing_time of D-Wave's Advantage systems


def anneal_betas(anneal_schedule: Sequence[Sequence[float]], beta: float, beta_start: float,
                 sweeps_per_microsecond: float) -> np.ndarray:
    """Inverse temperature of each sweep of a classical stand-in for an anneal schedule.

    ``anneal_schedule`` is D-Wave's list of ``[time (µs), s]`` points; the anneal
    fraction ``s`` maps to ``β(s) = beta_start · (beta / beta_start)^s``, so ``s = 1``
    is the hardware's final temperature and a reverse leg to ``s < 1`` heats the
    state.  One sweep every ``1 / sweeps_per_microsecond`` µs.

    Parameters
    ----------
    anneal_schedule : list of [time, s]
        D-Wave's schedule form.
    beta : float
        β at ``s = 1``.
    beta_start : float
        β at ``s = 0``.
    sweeps_per_microsecond : float
        Sweeps per µs.

    Returns
    -------
    ndarray
        One β per sweep.

    Examples
    --------
    >>> anneal_betas([[0, 1], [1, 0.5], [2, 1]], beta=4.0, beta_start=1.0, sweeps_per_microsecond=2).round(2)
    array([3.36, 2.38, 2.38, 3.36])
    """
    points = np.asarray(anneal_schedule, dtype=float)
    if points.ndim != 2 or points.shape[1] != 2 or len(points) < 2:
        raise ValueError("anneal_schedule must be a list of at least two [time, s] points")
    times, fractions = points[:, 0], points[:, 1]
    if times[0] != 0 or np.any(np.diff(times) <= 0) or np.any((fractions < 0) | (fractions > 1)):
        raise ValueError("anneal_schedule must start at time 0, increase in time and keep s in [0, 1]")
    num_sweeps = max(1, int(round(times[-1] * sweeps_per_microsecond)))
    at = (np.arange(num_sweeps) + 0.5) / num_sweeps * times[-1]
    return beta_start * (beta / beta_start) ** np.interp(at, times, fractions)


class MockAnnealer(dimod.Sampler):
    """Stand-in for annealing hardware: freeze-out, control errors, reverse annealing.

    Samples the programmed problem (Ising form, hardware units) by simulated annealing
    (dwave-samplers' single-spin heat-bath sweeps) along a classical image of the
    anneal schedule, on a copy of the problem perturbed as the hardware perturbs it.

    Parameters
    ----------
    beta : float
        Inverse temperature at the end of the anneal (``s = 1``), in units of the
        programmed problem.  Default 3: estimates for D-Wave processors fall between
        about 2 and 5 (Raymond, Yarkoni and Andriyash, "Global warming: temperature
        estimation in annealers", Front. ICT 3:23, 2016).
    sweeps_per_microsecond : float
        Sweeps per µs of anneal: the default 20 µs anneal is 100 sweeps.
        Few sweeps is *freeze-out* — the dynamics stop before the end of the anneal,
        so strongly coupled parts (chains, sharp modes) freeze hotter than weak ones
        (Amin, "Searching for quantum speedup in quasistatic quantum annealers",
        Phys. Rev. A 92, 052323, 2015).
    beta_start : float
        Inverse temperature at ``s = 0``.
    h_noise, j_noise : float
        Standard deviation of the fresh Gaussian error added to every programmed ``h``
        and ``J`` on every call: the integrated control errors (ICE) of D-Wave's QPU
        documentation, which reports them at a few hundredths of the h and J ranges.
    qubit_bias : float
        Standard deviation of a persistent bias on each qubit's ``h``, drawn once per
        qubit for the sampler's lifetime (the static part of ICE: flux offsets and
        background susceptibility); spin-reversal transforms average it out.
    seed : int, None or Generator
        Seeds the per-call noise, the annealer and the persistent biases.

    Parameters of :meth:`sample` are DWaveSampler's: ``num_reads``,
    ``annealing_time`` (µs), ``anneal_schedule``, ``initial_state`` (mapping or
    ``(qubit, value)`` pairs in the problem's vartype) and ``reinitialize_state``.
    A schedule that starts at ``s = 1`` is a reverse anneal from ``initial_state``:
    with ``reinitialize_state=True`` every read starts there, otherwise each read
    starts from the previous read's final state.

    Examples
    --------
    >>> import dimod
    >>> hardware = MockAnnealer(seed=0)
    >>> bqm = dimod.BinaryQuadraticModel({0: 0.1}, {(0, 1): -1.0}, 0.0, "SPIN")
    >>> len(hardware.sample(bqm, num_reads=5))
    5
    """

    parameters = None  # per instance, as dimod's reference samplers
    properties = None

    def __init__(self, beta: float = 3.0, *, sweeps_per_microsecond: float = 5.0, beta_start: float = 0.1,
                 h_noise: float = 0.03, j_noise: float = 0.02, qubit_bias: float = 0.02,
                 seed: RandomLike = 7) -> None:
        self.beta = check_beta(beta)
        self.beta_start = check_beta(beta_start, "beta_start")
        self.sweeps_per_microsecond = check_beta(sweeps_per_microsecond, "sweeps_per_microsecond")
        for name, value in (("h_noise", h_noise), ("j_noise", j_noise), ("qubit_bias", qubit_bias)):
            if not (np.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a non-negative number, got {value!r}")
        self.h_noise, self.j_noise, self.qubit_bias = float(h_noise), float(j_noise), float(qubit_bias)
        self.parameters = {"num_reads": [], "annealing_time": [], "anneal_schedule": [], "initial_state": [],
                           "reinitialize_state": [], "auto_scale": []}
        self.properties = {}
        self.rng = check_random_state(seed, "seed")
        self._bias_rng = np.random.default_rng(draw_seed(self.rng))
        self._biases: dict = {}

    def state_dict(self) -> dict[str, np.ndarray]:
        """The hardware's streams and the qubit biases drawn so far: what a checkpoint keeps, so that a run on
        the stand-in resumes exactly (a real QPU's noise cannot be restored; this one's can).

        Examples
        --------
        >>> hardware, twin = MockAnnealer(seed=0), MockAnnealer(seed=1)
        >>> _ = hardware.persistent_bias([3]); twin.load_state_dict(hardware.state_dict())
        >>> bool(twin.persistent_bias([3, 4]) @ [1, 1] == hardware.persistent_bias([3, 4]) @ [1, 1])
        True
        """
        return {"rng": stream_state(self.rng), "bias_rng": stream_state(self._bias_rng),
                "bias_qubits": np.array(list(self._biases), dtype=np.int64),
                "bias_values": np.array(list(self._biases.values()), dtype=float)}

    def load_state_dict(self, state: Mapping) -> None:
        """Restore what :meth:`state_dict` returned."""
        restore_stream(self.rng, state["rng"])
        restore_stream(self._bias_rng, state["bias_rng"])
        self._biases = dict(zip(np.asarray(state["bias_qubits"]).tolist(), np.asarray(state["bias_values"]).tolist()))

    def persistent_bias(self, qubits: Sequence) -> np.ndarray:
        """The fixed ``h`` offset of each qubit: drawn on the qubit's first use, the same ever after.

        Parameters
        ----------
        qubits : sequence
            Qubit labels.

        Returns
        -------
        ndarray of shape (len(qubits),)

        Examples
        --------
        >>> hardware = MockAnnealer(seed=0)
        >>> bool((hardware.persistent_bias([5, 6]) == hardware.persistent_bias([5, 6])).all())
        True
        """
        new = [q for q in dict.fromkeys(qubits) if q not in self._biases]
        self._biases.update(zip(new, self._bias_rng.normal(0.0, self.qubit_bias, len(new))))
        return np.array([self._biases[q] for q in qubits], dtype=float)

    def sample(self, bqm: dimod.BinaryQuadraticModel, num_reads: int = 1, annealing_time: float | None = None,
               anneal_schedule=None, initial_state=None, reinitialize_state: bool = True,
               auto_scale: bool = False) -> dimod.SampleSet:
        """Anneal the perturbed problem; energies are those of the problem as programmed.

        Parameters
        ----------
        bqm : dimod.BinaryQuadraticModel
            The programmed problem (hardware units).
        num_reads : int
            Reads.
        annealing_time : float, optional
            µs of a forward anneal (20 by default).
        anneal_schedule : list of [time, s], optional
            A schedule; starting at ``s = 1`` makes it a reverse anneal.
        initial_state : mapping or pairs, optional
            The start of a reverse anneal, in the problem's vartype.
        reinitialize_state : bool
            Every read from ``initial_state`` (True), or each from the previous read's end.
        auto_scale : bool
            Accepted for DWaveSampler's sake; the problem is sampled as given.

        Returns
        -------
        dimod.SampleSet

        Examples
        --------
        >>> import dimod
        >>> bqm = dimod.BinaryQuadraticModel({0: 0.0, 1: 0.0}, {(0, 1): -1.0}, 0.0, "SPIN")
        >>> answer = MockAnnealer(seed=0).sample(bqm, num_reads=10, initial_state={0: 1, 1: 1},
        ...                                      anneal_schedule=[[0, 1], [1, 0.95], [2, 1]])
        >>> int(answer.record.num_occurrences.sum())
        10
        """
        import neal

        num_reads = check_count(num_reads, "num_reads")
        if anneal_schedule is not None and annealing_time is not None:
            raise ValueError("give annealing_time or anneal_schedule, not both")
        if annealing_time is not None:
            annealing_time = check_beta(annealing_time, "annealing_time")   # a finite positive number of µs
        schedule = anneal_schedule if anneal_schedule is not None else \
            [[0.0, 0.0], [_DEFAULT_ANNEALING_TIME if annealing_time is None else annealing_time, 1.0]]
        betas = anneal_betas(schedule, self.beta, self.beta_start, self.sweeps_per_microsecond)
        reverse = float(np.asarray(schedule, dtype=float)[0, 1]) == 1.0
        labels = list(bqm.variables)
        ising = self._perturbed(bqm.spin, labels)
        annealer = neal.SimulatedAnnealingSampler()

        def anneal(reads: int, start: np.ndarray | None) -> np.ndarray:
            starts = {} if start is None else {"initial_states": (np.tile(start, (reads, 1)), labels),
                                                "initial_states_generator": "none"}
            answer = annealer.sample(ising, num_reads=reads, beta_schedule_type="custom", beta_schedule=betas,
                                     proposal_acceptance_criteria="Gibbs", seed=draw_seed(self.rng),
                                     **starts)
            return answer.record.sample[:, [answer.variables.index(v) for v in labels]]

        if not reverse:
            spins = anneal(num_reads, None)
        elif reinitialize_state:
            spins = anneal(num_reads, _initial_spins(initial_state, labels, bqm.vartype))
        else:  # one chain through the reads: each starts where the previous one ended
            spins = np.empty((num_reads, len(labels)), dtype=np.int8)
            start = _initial_spins(initial_state, labels, bqm.vartype)
            for read in range(num_reads):
                start = spins[read] = anneal(1, start)[0]
        samples = (spins + 1) // 2 if bqm.vartype is dimod.BINARY else spins
        return dimod.SampleSet.from_samples_bqm((samples, labels), bqm)

    def _perturbed(self, ising: dimod.BinaryQuadraticModel, labels: list) -> dimod.BinaryQuadraticModel:
        """The problem the hardware actually anneals: fresh per-call errors plus the persistent biases."""
        h, (rows, cols, J), offset = ising.to_numpy_vectors(labels)
        h = h + self.rng.normal(0.0, self.h_noise, len(h)) + self.persistent_bias(labels)
        J = J + self.rng.normal(0.0, self.j_noise, len(J))
        return dimod.BinaryQuadraticModel.from_numpy_vectors(h, (rows, cols, J), offset, dimod.SPIN,
                                                            variable_order=labels)


class HiddenTemperatureSampler(dimod.Sampler):
    """An ideal equilibrium sampler: samples of the programmed BQM at inverse temperature ``beta``.

    ``method="exact"``: exact Boltzmann samples (problems of up to ~30 qubits);
    ``"gibbs"``: Gibbs chains at fixed ``beta`` for ``num_sweeps`` sweeps (fine without
    chains).  A fresh stream per call; DWaveSampler's other parameters are ignored.

    Parameters
    ----------
    beta : float
        The hidden inverse temperature.
    method : {"exact", "gibbs"}
        How the samples are drawn.
    num_sweeps : int
        Sweeps of the Gibbs chains.
    seed : int, numpy.random.Generator or None
        Seeds every call's stream.

    Examples
    --------
    >>> import dimod
    >>> bqm = dimod.BinaryQuadraticModel({0: -1.0}, {}, 0.0, "SPIN")
    >>> len(HiddenTemperatureSampler(beta=2.0).sample(bqm, num_reads=5))
    5
    """

    parameters = None  # per instance, as dimod's reference samplers
    properties = None

    def __init__(self, beta: float = 3.0, method: str = "exact", num_sweeps: int = 300,
                 seed: RandomLike = 7) -> None:
        if method not in _METHODS:
            raise ValueError(f"method must be one of {', '.join(_METHODS)}, got {method!r}")
        self.beta = check_beta(beta)
        self.method = method
        self.num_sweeps = check_count(num_sweeps, "num_sweeps")
        self.rng = check_random_state(seed, "seed")
        self.parameters = {"num_reads": []}
        self.properties = {}

    def state_dict(self) -> dict[str, np.ndarray]:
        """The stream of the hidden hardware, for an exact resume."""
        return {"rng": stream_state(self.rng)}

    def load_state_dict(self, state: Mapping) -> None:
        """Restore what :meth:`state_dict` returned."""
        restore_stream(self.rng, state["rng"])

    def sample(self, bqm: dimod.BinaryQuadraticModel, num_reads: int = 10, **hardware_options) -> dimod.SampleSet:
        """``num_reads`` samples of ``bqm`` at the hidden β (DWaveSampler's other parameters ignored).

        Parameters
        ----------
        bqm : dimod.BinaryQuadraticModel
            The problem; samples are drawn from ``exp(-beta E_bqm)``.
        num_reads : int
            Reads.
        **hardware_options
            DWaveSampler's other parameters, ignored.

        Returns
        -------
        dimod.SampleSet

        Examples
        --------
        >>> import dimod
        >>> answer = HiddenTemperatureSampler(beta=50.0).sample(dimod.BinaryQuadraticModel({0: 1.0}, {}, 0.0, "SPIN"))
        >>> int(answer.first.sample[0])
        -1
        """
        seed = draw_seed(self.rng)
        if self.method == "exact":
            from .exact import ExactSampler

            return ExactSampler().sample(bqm, num_reads=num_reads, beta=self.beta, seed=seed)
        from .gibbs import GibbsSampler

        return GibbsSampler().sample(bqm, num_reads=num_reads, num_sweeps=self.num_sweeps, beta=self.beta, seed=seed)


class _MockQPU(MockDWaveSampler):
    """MockDWaveSampler that keeps its hardware's samples and charges D-Wave's modelled QPU time."""

    def state_dict(self) -> dict:
        """The stand-in hardware's state, where it has one."""
        hardware = self.substitute_sampler
        return hardware.state_dict() if hasattr(hardware, "state_dict") else {}

    def load_state_dict(self, state: Mapping) -> None:
        """Restore what :meth:`state_dict` returned."""
        if hasattr(self.substitute_sampler, "load_state_dict"):
            self.substitute_sampler.load_state_dict(state)

    def sample(self, bqm: dimod.BinaryQuadraticModel, **kwargs: Any) -> dimod.SampleSet:
        sampleset = super().sample(bqm, **kwargs)
        sampleset.info["timing"] = {"qpu_access_time": qpu_access_time(self.properties, max(bqm.num_variables, 1), **kwargs)}
        return sampleset


def qpu_access_time(properties: Mapping, num_qubits: int, num_reads: int = 1, **parameters: Any) -> float:
    """QPU access time (µs) D-Wave charges for one call: programming + num_reads × (anneal + readout + delay).

    Evaluates dwave-cloud-client's ``StructuredSolver.estimate_qpu_access_time`` on the
    ``problem_timing_data`` in ``properties``.

    Parameters
    ----------
    properties : mapping
        Solver properties with ``problem_timing_data``.
    num_qubits : int
        Active qubits of the problem.
    num_reads : int
        Reads.
    **parameters
        The call's DWaveSampler parameters (annealing time, schedule, initial state...).

    Returns
    -------
    float
        µs.

    Examples
    --------
    >>> from dwave.cloud.testing.mocks import qpu_problem_timing_data
    >>> round(qpu_access_time({"problem_timing_data": qpu_problem_timing_data()}, 50, num_reads=100))
    32277
    """
    from dwave.cloud.solver import StructuredSolver

    known = ("annealing_time", "anneal_schedule", "initial_state", "reinitialize_state",
             "programming_thermalization", "readout_thermalization", "reduce_intersample_correlation")
    options = {name: parameters[name] for name in known if parameters.get(name) is not None}
    if "initial_state" in options:
        options["initial_state"] = list(dict(options["initial_state"]).items())
    # the estimate reads nothing of the solver but its properties
    return float(StructuredSolver.estimate_qpu_access_time(SimpleNamespace(properties=properties), num_qubits,
                                                           num_reads=num_reads, **options))


def mock_qpu(topology_shape: int = 4, hardware: dimod.Sampler | None = None,
             topology_type: str = "pegasus") -> MockDWaveSampler:
    """``MockDWaveSampler`` of the given topology whose samples come from ``hardware``.

    By default the hardware is a :class:`MockAnnealer` with its documented defaults
    (freeze-out, control errors, a hidden β = 3).  Every call reports the QPU access
    time an Advantage system would charge in ``info["timing"]["qpu_access_time"]`` (µs).

    Parameters
    ----------
    topology_shape : int
        Size of the chip (Pegasus P``n`` by default).
    hardware : dimod.Sampler, optional
        What samples the programmed problem; :class:`MockAnnealer` by default.
    topology_type : {"pegasus", "chimera", "zephyr"}
        The chip's graph.

    Returns
    -------
    dwave.system.testing.MockDWaveSampler

    Examples
    --------
    >>> qpu = mock_qpu(3)
    >>> qpu.properties["topology"]["type"], len(qpu.nodelist) > 100
    ('pegasus', True)
    """
    from dwave.cloud.testing.mocks import qpu_problem_timing_data

    return _MockQPU(topology_type=topology_type, topology_shape=[topology_shape],
                    substitute_sampler=hardware if hardware is not None else MockAnnealer(),
                    exact_solver_cutoff=0, parameter_warnings=False,
                    properties={"problem_timing_data": qpu_problem_timing_data("advantage")})


def _initial_spins(initial_state, labels: list, vartype: dimod.Vartype) -> np.ndarray:
    """``initial_state`` (mapping or ``(qubit, value)`` pairs, in ``vartype``) as spins in ``labels`` order."""
    if initial_state is None:
        raise ValueError("a reverse anneal (anneal_schedule starting at s = 1) needs initial_state")
    return state_spins(initial_state, labels, vartype is dimod.SPIN)
