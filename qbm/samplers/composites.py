"""Composites that make an annealer's samples fit for training: each wraps any dimod sampler.

- :class:`GibbsPostProcessingComposite` — Gibbs sweeps from every sample the child
  returns, ending at the BQM's own temperature (Korenkevych et al. 2016,
  "Benchmarking quantum hardware for training of fully visible Boltzmann machines",
  arXiv:1611.04528): the hardware supplies starting points spread over the modes, the
  sweeps bring them to the model's β, whatever the hardware's temperature, freeze-out
  or control errors did to them, with importance weights for what sweeps alone
  cannot fix.
- :class:`PersistentReverseAnnealComposite` — persistent chains on the annealer: each
  call reverse-anneals from one of the previous call's samples.

Spin-reversal transforms are Ocean's own (``QPUSampler(spin_reversal_transforms=k)``
applies ``dwave.preprocessing.SpinReversalTransformComposite`` to logical variables).

>>> import neal, qbm
>>> sampler = GibbsPostProcessingComposite(neal.SimulatedAnnealingSampler(), num_sweeps=5)
>>> len(sampler.sample(qbm.RBM(4, 2, random_state=0).to_bqm(), num_reads=8, num_sweeps=10, seed=0))
8
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dimod
import numpy as np

from ..typing import RandomLike
from .._validation import check_beta, check_bool, check_count, check_unit_fraction
from .._random import check_random_state
from .._sampler_args import check_sampler, with_seed
from .._state import prefixed, unprefixed
from ..sampling.boundary import checked_answer
from ..sampling.temperature import effective_beta
from .gibbs import GibbsSampler

__all__ = ["GibbsPostProcessingComposite", "PersistentReverseAnnealComposite", "reverse_anneal_schedule"]


class _SeededComposite(dimod.ComposedSampler):
    """A composite over one child: the child's parameters plus ``seed``, which it draws the child's seed from."""

    def __init__(self, child: dimod.Sampler) -> None:
        self._child = check_sampler(child, "child")

    @property
    def children(self) -> list[dimod.Sampler]:
        """The wrapped sampler: ``[child]``."""
        return [self._child]

    @property
    def parameters(self) -> dict[str, list]:
        """The child's parameters plus ``seed``."""
        return {**{k: list(v) for k, v in self.child.parameters.items()}, "seed": []}

    @property
    def properties(self) -> dict:
        """``{"child_properties": ...}``, as dimod's composites report them."""
        return {"child_properties": getattr(self.child, "properties", {})}

    def state_dict(self) -> dict:
        """The child's checkpoint state (a QPU's calibration), under ``child.``, where it has one."""
        return prefixed(self.child.state_dict(), "child") if hasattr(self.child, "state_dict") else {}

    def load_state_dict(self, state: dict) -> None:
        """Restore what :meth:`state_dict` returned."""
        if hasattr(self.child, "load_state_dict"):
            self.child.load_state_dict(unprefixed(state, "child"))


class GibbsPostProcessingComposite(_SeededComposite):
    """Gibbs sweeps that bring each of the child's samples to the BQM's temperature ``beta``.

    Parameters
    ----------
    child : dimod.Sampler
        Any sampler; its keyword arguments pass through :meth:`sample`.
    num_sweeps : int
        Sweeps of :class:`~qbm.samplers.GibbsSampler` (all chains as one array) per sample.
    beta : float
        Inverse temperature to end at, relative to the BQM: 1 draws ``exp(-E_bqm)``,
        which for ``model.to_bqm(β)`` is the model at β.
    anneal : bool
        When the child's samples are hotter than ``beta`` — their effective β
        (maximum pseudo-likelihood, :func:`~qbm.sampling.effective_beta`, or the
        child's own ``info["beta_eff"]``) is lower —
        the sweeps anneal linearly from that β to ``beta``: they finish the anneal
        the hardware could not.  Otherwise (or with ``anneal=False``) every sweep is at
        ``beta``.
    importance_weights : bool
        Record the annealed-importance-sampling log-weight of that anneal in the
        ``log_weight`` field, taking the child's samples as Boltzmann samples at their
        effective β (:class:`qbm.phases.SamplerPhase` weights samples by it): the anneal's own
        freeze-out of mode weights is corrected, and with it whatever of the child's
        bias a Boltzmann distribution at the effective β explains.

    The answer has one row per read of the child (``num_occurrences`` expanded) and
    the child's ``info`` plus ``postprocess_sweeps`` and ``postprocess_start_beta``;
    a child's own ``log_weight`` is added to the anneal's.

    Examples
    --------
    >>> import qbm
    >>> rbm = qbm.RBM(4, 2, random_state=0)
    >>> sampler = GibbsPostProcessingComposite(qbm.ExactSampler(), num_sweeps=2)
    >>> sampler.sample(rbm.to_bqm(), num_reads=3, seed=0).info["postprocess_sweeps"]
    2
    """

    def __init__(self, child: dimod.Sampler, num_sweeps: int = 100, beta: float = 1.0, anneal: bool = True,
                 importance_weights: bool = True) -> None:
        super().__init__(child)
        self.num_sweeps = check_count(num_sweeps, "num_sweeps")
        self.beta = check_beta(beta)
        self.anneal = check_bool(anneal, "anneal")
        self.importance_weights = check_bool(importance_weights, "importance_weights")
        self._gibbs = GibbsSampler()

    def sample(self, bqm: dimod.BinaryQuadraticModel, seed: RandomLike = None, **child_options: Any) -> dimod.SampleSet:
        """Sample with the child, then sweep every read at ``beta``.

        Parameters
        ----------
        bqm : dimod.BinaryQuadraticModel
            The problem; the sweeps end at ``beta`` relative to it.
        seed : int, numpy.random.Generator or None
            Seeds the child (where it takes a seed) and the sweeps.
        **child_options
            Passed to the child.

        Returns
        -------
        dimod.SampleSet

        Examples
        --------
        >>> import qbm
        >>> answer = GibbsPostProcessingComposite(qbm.ExactSampler(), num_sweeps=3).sample(
        ...     qbm.RBM(3, 2, random_state=0).to_bqm(), num_reads=4, seed=0)
        >>> len(answer.record), answer.info["postprocess_sweeps"]
        (4, 3)
        """
        rng = check_random_state(seed, "seed")
        child_options = self.remove_unknown_kwargs(**child_options)   # warned about, never silently ignored
        answer = checked_answer(self.child.sample(bqm, **with_seed(self.child, child_options, rng)), bqm)
        labels = list(answer.variables)
        rows = np.repeat(np.arange(len(answer)), np.asarray(answer.record.num_occurrences, dtype=np.int64))
        schedule, start = {"beta": self.beta}, self.beta
        if self.anneal:
            measured = answer.info.get("beta_eff")  # QPUSampler measures it on every call
            if not isinstance(measured, float):
                measured = effective_beta(bqm, answer)
            if measured < self.beta:  # hotter than the target (NaN, no estimate, compares False)
                start = max(measured, 0.01 * self.beta)
                schedule = {"beta_range": (start, self.beta), "beta_schedule_type": "linear",
                            "importance_weights": self.importance_weights}
        swept = self._gibbs.sample(bqm, initial_states=(answer.record.sample[rows], labels),
                                   num_sweeps=self.num_sweeps, seed=rng, **schedule)
        log_weight = np.zeros(len(rows))
        if "log_weight" in answer.record.dtype.names:
            log_weight += np.asarray(answer.record.log_weight)[rows]
        if "log_weight" in swept.record.dtype.names:
            log_weight += swept.record.log_weight
        vectors = {"log_weight": log_weight} if log_weight.any() else {}
        info = {**answer.info, "postprocess_sweeps": self.num_sweeps, "postprocess_start_beta": start}
        return dimod.SampleSet.from_samples_bqm((swept.record.sample, list(swept.variables)), bqm, info=info,
                                                **vectors)


def reverse_anneal_schedule(reverse_to: float = 0.45, pause: float = 10.0, ramp: float = 5.0) -> list[list[float]]:
    """A reverse-anneal schedule in D-Wave's ``[time (µs), s]`` form: from ``s = 1`` down to
    ``reverse_to`` over ``ramp`` µs, held for ``pause`` µs, back to ``s = 1`` over ``ramp`` µs.

    Parameters
    ----------
    reverse_to : float
        The anneal fraction ``s`` to go back to.
    pause : float
        µs held there.
    ramp : float
        µs of each leg.

    Returns
    -------
    list of [time, s]

    Examples
    --------
    >>> reverse_anneal_schedule(0.5, pause=2.0, ramp=1.0)
    [[0.0, 1.0], [1.0, 0.5], [3.0, 0.5], [4.0, 1.0]]
    """
    reverse_to = check_unit_fraction(reverse_to, "reverse_to")
    ramp, pause = check_beta(ramp, "ramp"), float(pause)
    if not (np.isfinite(pause) and pause >= 0):
        raise ValueError(f"pause must be a non-negative number of µs, got {pause!r}")
    return [[0.0, 1.0], [ramp, float(reverse_to)], [ramp + pause, float(reverse_to)], [2 * ramp + pause, 1.0]]


class PersistentReverseAnnealComposite(_SeededComposite):
    """Persistent chains on an annealer: every call reverse-anneals from the previous call's samples.

    The first call (and any call on a BQM with other variables) is a forward anneal.
    Every later call passes the child DWaveSampler's reverse-annealing parameters:
    ``initial_state`` (a sample of the previous call, drawn at random by occurrence),
    ``anneal_schedule`` and ``reinitialize_state``.  With ``reinitialize_state=False``
    (the default) the reads of one call form a chain on the hardware, each read
    starting where the previous one ended: persistent contrastive divergence with
    the annealer as transition kernel.  A deeper (smaller ``s``) or longer reverse
    leg mixes more.

    Parameters
    ----------
    child : dimod.Sampler
        A sampler taking ``initial_state``, ``anneal_schedule`` and
        ``reinitialize_state`` (``QPUSampler`` over a QPU or :func:`~qbm.samplers.testing.mock_qpu`).
    anneal_schedule : list of [time, s], optional
        The reverse schedule; default :func:`reverse_anneal_schedule`.
    reinitialize_state : bool
        Start every read from ``initial_state`` (True) or chain the reads (False).

    Examples
    --------
    >>> import qbm
    >>> from qbm.samplers import QPUSampler
    >>> from qbm.samplers.testing import mock_qpu
    >>> sampler = PersistentReverseAnnealComposite(QPUSampler(mock_qpu(3)))
    >>> bqm = qbm.RBM(4, 2, random_state=0).to_bqm()
    >>> _ = sampler.sample(bqm, num_reads=5, seed=0)   # forward
    >>> sorted(sampler.sample(bqm, num_reads=5, seed=1).info["initial_state"]) == list(range(6))
    True
    """

    def __init__(self, child: dimod.Sampler, anneal_schedule: Sequence[Sequence[float]] | None = None,
                 reinitialize_state: bool = False) -> None:
        super().__init__(child)
        missing = {"initial_state", "anneal_schedule", "reinitialize_state"} - set(self.child.parameters)
        if missing:
            raise TypeError(f"child must accept reverse-annealing parameters; {type(child).__name__} lacks "
                            f"{', '.join(sorted(missing))}")
        self.anneal_schedule = [list(map(float, point)) for point in
                                (anneal_schedule if anneal_schedule is not None else reverse_anneal_schedule())]
        if self.anneal_schedule[0][1] != 1.0:
            raise ValueError("anneal_schedule of a reverse anneal must start at s = 1")
        self.reinitialize_state = check_bool(reinitialize_state, "reinitialize_state")
        self.state: dict | None = None  # the state the next call starts from

    def sample(self, bqm: dimod.BinaryQuadraticModel, seed: RandomLike = None, **child_options: Any) -> dimod.SampleSet:
        """Reverse-anneal from the persistent state (forward on the first call); keep a new one.

        Parameters
        ----------
        bqm : dimod.BinaryQuadraticModel
            The problem.
        seed : int, numpy.random.Generator or None
            Seeds the child and the choice of the next starting state.
        **child_options
            Passed to the child.

        Returns
        -------
        dimod.SampleSet
            With ``info["initial_state"]``, the state this call started from (``None``: forward).

        Examples
        --------
        >>> from qbm.samplers import QPUSampler
        >>> from qbm.samplers.testing import mock_qpu
        >>> import qbm
        >>> sampler = PersistentReverseAnnealComposite(QPUSampler(mock_qpu(3)))
        >>> sampler.sample(qbm.RBM(3, 2, random_state=0).to_bqm(), num_reads=5, seed=0).info["initial_state"] is None
        True
        """
        rng = check_random_state(seed, "seed")
        options = with_seed(self.child, self.remove_unknown_kwargs(**child_options), rng)   # unknown ones warned about
        start = self.state if self.state is not None and set(self.state) == set(bqm.variables) else None
        if start is not None:
            options.update(initial_state=start, anneal_schedule=self.anneal_schedule,
                           reinitialize_state=self.reinitialize_state)
        answer = checked_answer(self.child.sample(bqm, **options), bqm)
        occurrences = np.asarray(answer.record.num_occurrences, dtype=float)
        row = int(rng.choice(len(answer), p=occurrences / occurrences.sum()))
        self.state = dict(zip(answer.variables, answer.record.sample[row].tolist()))
        answer.info["initial_state"] = start
        return answer

    def state_dict(self) -> dict:
        """The child's state and the persistent state the next call starts from."""
        state = super().state_dict()
        if self.state is not None:
            state.update(persistent_labels=np.array(list(self.state)), persistent_values=np.array(list(self.state.values())))
        return state

    def load_state_dict(self, state: dict) -> None:
        """Restore what :meth:`state_dict` returned."""
        super().load_state_dict(state)
        self.state = (dict(zip(np.asarray(state["persistent_labels"]).tolist(), np.asarray(state["persistent_values"]).tolist()))
                      if "persistent_labels" in state else None)
